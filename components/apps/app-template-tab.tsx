import { Code, Stack, Text, Title } from "@mantine/core";
import { InfoList } from "@/components/ui/info-list";
import type { AppDto } from "./api";

/** What an import recreates: the image's attributes, and the VM template carried along. */
export function AppTemplateTab({ app }: { app: AppDto }) {
  return (
    <Stack gap="md" maw={760}>
      <Title order={4}>Image template</Title>
      <InfoList
        label="Image template"
        items={Object.entries(app.imageTemplate).map(([key, value]) => ({ label: key, value }))}
      />
      <Title order={4}>VM template</Title>
      {app.vmTemplate ? (
        <Code block aria-label="VM template">
          {app.vmTemplate}
        </Code>
      ) : (
        <Text size="sm" c="dimmed">
          This app carries no VM template.
        </Text>
      )}
    </Stack>
  );
}
