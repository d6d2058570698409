"use client";

import { Button, Group, MultiSelect, Select, Stack } from "@mantine/core";
import { useForm } from "@mantine/form";
import { z } from "zod";
import { useGroupOptions } from "@/components/groups/queries";
import { formSaveCallbacks } from "@/components/ui/save-form";
import { schemaValidate, selected, selectedList } from "@/components/ui/schema-validate";
import { userFields } from "@/lib/users/user-schemas";
import type { UserDto } from "./api";
import { useUpdateUser } from "./queries";

const valuesOf = (user: UserDto) => ({
  primaryGroupId: String(user.primaryGroup.id),
  groupIds: user.groups.map((g) => String(g.id)),
});

const validate = schemaValidate(
  z.object({
    primaryGroupId: selected(userFields.shape.primaryGroupId),
    groupIds: selectedList(userFields.shape.groupIds),
  }),
);

/** Primary group and memberships; the API keeps the primary group among the memberships. */
export function UserGroupsTab({ user }: { user: UserDto }) {
  const groupOptions = useGroupOptions();
  const update = useUpdateUser();
  const form = useForm({ initialValues: valuesOf(user), validate });

  const submit = form.onSubmit((v) =>
    update.mutate(
      { id: user.id, patch: { primaryGroupId: Number(v.primaryGroupId), groupIds: v.groupIds.map(Number) } },
      formSaveCallbacks(form, valuesOf, () => `Groups of ${user.username} saved`),
    ),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={520}>
        <Select
          label="Primary group"
          description="New objects of this user belong to it"
          data={groupOptions}
          searchable
          allowDeselect={false}
          {...form.getInputProps("primaryGroupId")}
        />
        <MultiSelect
          label="Groups"
          description="The primary group is always kept"
          data={groupOptions}
          searchable
          {...form.getInputProps("groupIds")}
        />
        <Group>
          <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
            Save groups
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
