"use client";

import { Group, Pill } from "@mantine/core";

export interface ActiveFilter {
  key: string;
  label: string;
  value: string;
}

/** Active filters as removable chips (the console's "filters as chips"). */
export function FilterChips({ filters, onRemove }: { filters: ActiveFilter[]; onRemove: (key: string) => void }) {
  if (filters.length === 0) return null;
  return (
    <Group gap="xs" aria-label="Active filters" role="group">
      {filters.map((f) => (
        <Pill
          key={f.key}
          withRemoveButton
          onRemove={() => onRemove(f.key)}
          // Pill hides its remove button from assistive tech by default (made for PillsInput);
          // here it is the only way to drop the filter, so it must be reachable.
          removeButtonProps={{ "aria-label": `Remove filter ${f.label}`, "aria-hidden": false, tabIndex: 0 }}
        >
          {f.label}: {f.value}
        </Pill>
      ))}
    </Group>
  );
}
