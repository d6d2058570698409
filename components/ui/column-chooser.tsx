"use client";

import { useMemo } from "react";
import { Button, Checkbox, Popover, Stack, Text } from "@mantine/core";
import { useLocalStorage } from "@mantine/hooks";
import { IconColumns3 } from "@tabler/icons-react";
import {
  columnKey,
  isColumnShown,
  parseColumnChoice,
  shownColumns,
  type ChoosableColumn,
  type ColumnChoice,
} from "./column-choice";

/**
 * The columns a table shows, as chosen in its Columns menu: kept in the browser under
 * `storeKey`, and followed at once by every component that reads the same key (the menu and
 * the table may live apart).
 */
function useColumnChoice(storeKey: string) {
  const [stored, setStored] = useLocalStorage<ColumnChoice>({ key: `bazaar-columns:${storeKey}`, defaultValue: {} });
  const choice = useMemo(() => parseColumnChoice(stored), [stored]);
  return [choice, setStored] as const;
}

/** The columns to hand the table. */
export function useShownColumns<T>(storeKey: string, columns: ChoosableColumn<T>[]) {
  const [choice] = useColumnChoice(storeKey);
  return useMemo(() => shownColumns(columns, choice), [columns, choice]);
}

const titleOf = <T,>(c: ChoosableColumn<T>) => (typeof c.title === "string" ? c.title : columnKey(c));

/** A "Columns" button whose popover shows and hides the table's hideable columns. */
export function ColumnChooser<T>({ storeKey, columns }: { storeKey: string; columns: ChoosableColumn<T>[] }) {
  const [choice, setChoice] = useColumnChoice(storeKey);
  const hideable = columns.filter((c) => c.hideable);
  return (
    <Popover position="bottom-end" shadow="md" withArrow trapFocus>
      <Popover.Target>
        <Button size="xs" variant="default" leftSection={<IconColumns3 size={14} aria-hidden />}>
          Columns
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <Text size="xs" c="dimmed">
            Columns shown
          </Text>
          {hideable.map((c) => (
            <Checkbox
              key={columnKey(c)}
              size="xs"
              label={titleOf(c)}
              checked={isColumnShown(c, choice)}
              onChange={(e) => setChoice({ ...choice, [columnKey(c)]: e.currentTarget.checked })}
            />
          ))}
          <Button size="xs" variant="subtle" onClick={() => setChoice({})}>
            Reset columns
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
