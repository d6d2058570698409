import { describe, expect, it } from "vitest";
import { isColumnShown, parseColumnChoice, shownColumns, type ChoosableColumn } from "./column-choice";

type Row = { id: number; name: string; zone: string; owner: string };
const columns: ChoosableColumn<Row>[] = [
  { accessor: "name", title: "Name" },
  { accessor: "zone", title: "Zone", hideable: true },
  { accessor: "owner", title: "Owner", hideable: true, hiddenByDefault: true },
];
const accessors = (cols: { accessor: unknown }[]) => cols.map((c) => c.accessor);

describe("shownColumns", () => {
  it("shows the columns by their defaults when nothing was chosen", () => {
    expect(accessors(shownColumns(columns, {}))).toEqual(["name", "zone"]);
  });

  it("follows the choice for hideable columns only", () => {
    expect(accessors(shownColumns(columns, { zone: false, owner: true }))).toEqual(["name", "owner"]);
    // a column that is not hideable cannot be hidden
    expect(accessors(shownColumns(columns, { name: false }))).toEqual(["name", "zone"]);
    expect(isColumnShown(columns[2], { owner: true })).toBe(true);
  });

  it("hands the table columns without the chooser's attributes", () => {
    for (const c of shownColumns(columns, { owner: true })) {
      expect(c).not.toHaveProperty("hideable");
      expect(c).not.toHaveProperty("hiddenByDefault");
    }
  });
});

describe("parseColumnChoice", () => {
  it("keeps booleans and drops anything else a browser may hold", () => {
    expect(parseColumnChoice({ zone: false, owner: "yes", x: 1 })).toEqual({ zone: false });
    for (const junk of [null, undefined, "zone", 3, ["zone"]]) expect(parseColumnChoice(junk)).toEqual({});
  });
});
