import type { DataTableColumn } from "mantine-datatable";

/**
 * A table column that people may hide or show (in the Columns menu); `hiddenByDefault` ones
 * start hidden. Columns without `hideable` are always shown.
 */
export type ChoosableColumn<T> = DataTableColumn<T> & { hideable?: boolean; hiddenByDefault?: boolean };

/** What people chose, by column accessor (true: shown); the others follow their defaults. */
export type ColumnChoice = Record<string, boolean>;

export const columnKey = <T>(c: ChoosableColumn<T>) => String(c.accessor);

/** Whether a column shows under a choice. */
export function isColumnShown<T>(c: ChoosableColumn<T>, choice: ColumnChoice): boolean {
  if (!c.hideable) return true;
  const chosen = choice[columnKey(c)];
  return typeof chosen === "boolean" ? chosen : !c.hiddenByDefault;
}

/** The columns to give the table: those shown, without the chooser's own attributes. */
export function shownColumns<T>(columns: ChoosableColumn<T>[], choice: ColumnChoice): DataTableColumn<T>[] {
  return columns
    .filter((c) => isColumnShown(c, choice))
    .map(({ hideable: _h, hiddenByDefault: _d, ...column }) => column as DataTableColumn<T>);
}

/** A stored choice as read back from the browser: anything but an object of booleans is no choice. */
export function parseColumnChoice(value: unknown): ColumnChoice {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === "boolean"));
}
