import type { ReactNode } from "react";
import { Group, Title } from "@mantine/core";

/** A page's title with its action toolbar on the right. */
export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <Group justify="space-between" align="center" mb="md" wrap="wrap" gap="sm">
      <Title order={2}>{title}</Title>
      {children ? (
        <Group gap="xs" role="toolbar" aria-label="Actions">
          {children}
        </Group>
      ) : null}
    </Group>
  );
}
