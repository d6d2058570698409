"use client";

import { Button, Group, Stack } from "@mantine/core";
import { useForm } from "@mantine/form";
import { formSaveCallbacks } from "@/components/ui/save-form";
import { schemaValidate } from "@/components/ui/schema-validate";
import { groupFields } from "@/lib/groups/group-schemas";
import type { GroupDetailDto } from "./api";
import { GroupFields, type GroupFormValues } from "./group-fields";
import { useUpdateGroup } from "./queries";

const valuesOf = (g: GroupDetailDto): GroupFormValues => ({
  name: g.name,
  description: g.description,
  createRights: g.createRights,
});

/** Edits name, description and create rights; sends only what changed. */
export function GroupInfoForm({ group }: { group: GroupDetailDto }) {
  const update = useUpdateGroup();
  const form = useForm<GroupFormValues>({
    initialValues: valuesOf(group),
    validate: schemaValidate(groupFields),
  });
  const isAdminsGroup = group.builtin && group.name === "admins";

  const submit = form.onSubmit((v) => {
    const patch = {
      ...(form.isDirty("name") ? { name: v.name } : {}),
      ...(form.isDirty("description") ? { description: v.description } : {}),
      ...(form.isDirty("createRights") ? { createRights: v.createRights } : {}),
    };
    update.mutate(
      { id: group.id, patch },
      formSaveCallbacks(form, valuesOf, (saved) => `Group ${saved.name} saved`),
    );
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={640}>
        <GroupFields form={form} nameLocked={group.builtin} rightsLocked={isAdminsGroup} />
        <Group>
          <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
