"use client";

import Link from "next/link";
import { Anchor, Badge, Group, List, Stack, Text, Tooltip } from "@mantine/core";
import { isShown, RefLink } from "@/components/permissions/object-ref";
import { formatBytes } from "@/components/transfer/format";
import { StateBadge } from "@/components/ui/state-badge";
import type { AppChildDto, AppDto } from "./api";
import { APP_TYPE_LABELS } from "./app-state";

type ShownApp = Extract<AppChildDto["app"], { name: string }>;
/** A part the user may not see is its id alone: no name, type, state or parts of its own. */
type Child = Omit<AppChildDto, "app"> & {
  app: (Omit<ShownApp, "children"> & { children?: Child[] }) | { id: number };
};

/**
 * An image app stands for a disk ("DISK 0"), a VM template app for a role of its service; told
 * apart by the slot, which a part the user may not see still has (role names have no spaces).
 */
const slotText = (child: Child) => (child.slot.startsWith("DISK ") ? child.slot : `role ${child.slot}`);

function ChildNode({ child }: { child: Child }) {
  const { app } = child;
  if (!isShown(app))
    return (
      <Group gap="xs" wrap="wrap">
        <Text size="sm" c="dimmed" miw={64}>
          {slotText(child)}
        </Text>
        <RefLink kind="app" href={`/apps/${app.id}`} value={app} size="sm" />
      </Group>
    );
  return (
    <Stack gap={2}>
      <Group gap="xs" wrap="wrap">
        <Text size="sm" c="dimmed" miw={64}>
          {slotText(child)}
        </Text>
        <Anchor component={Link} href={`/apps/${app.id}`} size="sm">
          {app.name}
        </Anchor>
        <Badge size="sm" variant="light" tt="none">
          {APP_TYPE_LABELS[app.type]}
        </Badge>
        <StateBadge state={app.state} />
        {app.sizeBytes ? (
          <Text size="sm" c="dimmed">
            {formatBytes(app.sizeBytes)}
          </Text>
        ) : null}
        {child.created ? null : (
          <Tooltip label="An app that existed before this publish; deleting with child apps keeps it">
            <Badge size="sm" variant="outline" color="gray" tt="none">
              reused
            </Badge>
          </Tooltip>
        )}
      </Group>
      {app.state === "ERROR" ? (
        <Text size="xs" c="red">
          {app.error || "Failed; no reason was recorded."}
        </Text>
      ) : null}
    </Stack>
  );
}

function ChildList({ items, label }: { items: Child[]; label: string }) {
  return (
    <List listStyleType="none" spacing="sm" aria-label={label}>
      {items.map((child) => (
        <List.Item key={child.position}>
          <ChildNode child={child} />
          {isShown(child.app) && child.app.children?.length ? (
            <List
              listStyleType="none"
              spacing="xs"
              mt="xs"
              ml={6}
              pl="md"
              style={{ borderLeft: "2px solid var(--mantine-color-default-border)" }}
              aria-label={`Parts of ${child.app.name}`}
            >
              {child.app.children.map((part) => (
                <List.Item key={part.position}>
                  <ChildNode child={part} />
                </List.Item>
              ))}
            </List>
          ) : null}
        </List.Item>
      ))}
    </List>
  );
}

/**
 * A composite app's parts: a service's VM template apps (by role) and their image apps (by disk),
 * or a VM template's image apps. It refreshes with the app while the publish job runs.
 */
export function AppContentsTab({ app }: { app: AppDto }) {
  const children = app.children ?? [];
  if (!children.length)
    return (
      <Text size="sm" c="dimmed">
        {app.state === "LOCKED" ? "The parts appear as the publish creates them." : "This app has no parts."}
      </Text>
    );
  const created = children.filter((c) => c.created).length;
  return (
    <Stack gap="sm" maw={760}>
      <Text size="sm" c="dimmed">
        {created} of {children.length} {app.type === "SERVICE_TEMPLATE" ? "roles" : "disks"} published with this app
        {created < children.length ? ", the others reuse existing apps" : ""}.
        {app.state === "LOCKED" ? " The states update while the publish runs." : ""}
      </Text>
      <ChildList items={children} label={`Contents of ${app.name}`} />
    </Stack>
  );
}

/** The composite apps that use this app as a part (it cannot be deleted while they exist). */
export function UsedBy({ parents }: { parents: NonNullable<AppDto["parents"]> }) {
  return (
    <Group gap="xs">
      {parents.map((p) => (
        <Group key={p.id} gap={4} wrap="nowrap">
          <RefLink kind="app" href={`/apps/${p.id}`} value={p} />
          {isShown(p) ? (
            <Text span size="sm" c="dimmed">
              ({APP_TYPE_LABELS[p.type]})
            </Text>
          ) : null}
        </Group>
      ))}
    </Group>
  );
}
