"use client";

import { Stack, Textarea, TextInput } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";

export interface ZoneFormValues {
  name: string;
  endpoint: string;
  description: string;
}

/** Zone fields; a zone keeps its name once registered. */
export function ZoneFields({
  form,
  nameLocked = false,
}: {
  form: UseFormReturnType<ZoneFormValues>;
  nameLocked?: boolean;
}) {
  return (
    <Stack>
      <TextInput label="Name" disabled={nameLocked} {...form.getInputProps("name")} />
      <TextInput
        label="Endpoint"
        description="Base URL of the zone's portal, e.g. https://bazaar.zone-b.example; its instances set it from BAZAAR_PUBLIC_URL when they start"
        placeholder="https://"
        {...form.getInputProps("endpoint")}
      />
      <Textarea label="Description" autosize minRows={2} {...form.getInputProps("description")} />
    </Stack>
  );
}
