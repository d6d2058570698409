"use client";

import { Badge, Checkbox, Group, SimpleGrid, Stack, Textarea, TextInput } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import { RESOURCE_LABELS, RESOURCE_TYPES, type ResourceType } from "@/lib/permissions/resources";

export interface GroupFormValues {
  name: string;
  description: string;
  createRights: ResourceType[];
}

/** Name, description and create rights: shared by "Create group" and the group's Info tab. */
export function GroupFields({
  form,
  nameLocked = false,
  rightsLocked = false,
}: {
  form: UseFormReturnType<GroupFormValues>;
  nameLocked?: boolean;
  rightsLocked?: boolean;
}) {
  return (
    <Stack>
      <TextInput
        label="Name"

        disabled={nameLocked}
        description={nameLocked ? "Built-in groups keep their name" : undefined}
        {...form.getInputProps("name")}
      />
      <Textarea label="Description" autosize minRows={2} {...form.getInputProps("description")} />
      <Checkbox.Group
        label="Create rights"
        description={rightsLocked ? "The admins group may create everything" : "What members of this group may create"}
        {...form.getInputProps("createRights")}
      >
        <SimpleGrid cols={{ base: 1, xs: 2 }} mt="xs" spacing="xs">
          {RESOURCE_TYPES.map((r) => (
            <Checkbox key={r} value={r} label={RESOURCE_LABELS[r]} disabled={rightsLocked} />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
    </Stack>
  );
}

export function CreateRightsBadges({ rights }: { rights: ResourceType[] }) {
  if (rights.length === 0) return null;
  return (
    <Group gap={4}>
      {rights.map((r) => (
        <Badge key={r} size="sm" variant="outline" tt="none">
          {RESOURCE_LABELS[r]}
        </Badge>
      ))}
    </Group>
  );
}
