import { Code, Stack, Text, Title } from "@mantine/core";
import { InfoList } from "@/components/ui/info-list";
import type { AppDto } from "./api";

/** A service template's OneFlow JSON, indented for reading (as stored when it is not valid JSON). */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function TemplateText({ label, text, empty }: { label: string; text: string; empty: string }) {
  return text ? (
    <Code block aria-label={label}>
      {text}
    </Code>
  ) : (
    <Text size="sm" c="dimmed">
      {empty}
    </Text>
  );
}

/**
 * What an import recreates: an image app's attributes and the VM template carried along, a VM
 * template app's template (its disks name their image apps by APP_ID), a service template app's
 * OneFlow body (its roles name their VM template apps).
 */
export function AppTemplateTab({ app }: { app: AppDto }) {
  if (app.type === "SERVICE_TEMPLATE")
    return (
      <Stack gap="md" maw={760}>
        <Title order={4}>Service template</Title>
        <TemplateText
          label="Service template"
          text={app.serviceTemplate && prettyJson(app.serviceTemplate)}
          empty="This app carries no service template yet."
        />
      </Stack>
    );
  return (
    <Stack gap="md" maw={760}>
      {app.type === "IMAGE" ? (
        <>
          <Title order={4}>Image template</Title>
          <InfoList
            label="Image template"
            items={Object.entries(app.imageTemplate).map(([key, value]) => ({ label: key, value }))}
          />
        </>
      ) : null}
      <Title order={4}>VM template</Title>
      <TemplateText
        label="VM template"
        text={app.vmTemplate}
        empty={app.type === "IMAGE" ? "This app carries no VM template." : "This app carries no VM template yet."}
      />
    </Stack>
  );
}
