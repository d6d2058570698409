"use client";

import { Autocomplete, SimpleGrid, TagsInput, Textarea, TextInput } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import type { AppFormValues } from "./app-form";
import { useAppFacets } from "./queries";

const HYPERVISORS = ["kvm", "qemu", "lxc", "vcenter"];
const ARCHITECTURES = ["x86_64", "aarch64", "ppc64le", "s390x", "riscv64", "i686"];
const suggestions = (common: string[], seen: string[] | undefined) => [...new Set([...common, ...(seen ?? [])])];

/**
 * Name, version, description, tags, hypervisor, architecture and, for an image app, the VM
 * template it carries (a composite app's template is made from its source, not typed).
 */
export function AppMetadataFields<V extends AppFormValues>({
  form,
  withVmTemplate = true,
}: {
  form: UseFormReturnType<V>;
  withVmTemplate?: boolean;
}) {
  const facets = useAppFacets().data;
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label="App name" autoComplete="off" {...form.getInputProps("name")} />
        <TextInput label="Version" autoComplete="off" {...form.getInputProps("version")} />
      </SimpleGrid>
      <Textarea label="Description" autosize minRows={2} maxRows={8} {...form.getInputProps("description")} />
      <TagsInput
        label="Tags"
        description="Up to 20: lowercase letters, digits, '.', '_', '+' or '-'"
        data={facets?.tags ?? []}
        maxTags={20}
        splitChars={[",", " "]}
        clearable
        {...form.getInputProps("tags")}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Autocomplete
          label="Hypervisor"
          placeholder="e.g. kvm"
          data={suggestions(HYPERVISORS, facets?.hypervisors)}
          {...form.getInputProps("hypervisor")}
        />
        <Autocomplete
          label="Architecture"
          placeholder="e.g. x86_64"
          data={suggestions(ARCHITECTURES, facets?.architectures)}
          {...form.getInputProps("architecture")}
        />
      </SimpleGrid>
      {withVmTemplate ? (
        <Textarea
          label="VM template"
          description="Optional OpenNebula template text carried with the app (CPU, MEMORY, …)"
          placeholder={'CPU = "1"\nMEMORY = "1024"'}
          autosize
          minRows={3}
          maxRows={14}
          spellCheck={false}
          styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
          {...form.getInputProps("vmTemplate")}
        />
      ) : null}
    </>
  );
}
