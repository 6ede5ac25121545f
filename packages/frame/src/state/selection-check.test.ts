import type { FieldInfo, QueryRequest, QueryResult } from "@portico/protocol";
import { describe, expect, it } from "vitest";
import { checkSelections, heldValues, unknownField } from "./selection-check.js";

const fields: FieldInfo[] = [
  { name: "Region", type: "text", cardinality: 3, tables: ["t"] },
  { name: "Year", type: "number", cardinality: 2, tables: ["t"] },
];
const app = { id: "spending", fields };
const held: Record<string, Array<string | number>> = {
  Region: ["North", "South", "East"],
  Year: [2021, 2022],
};

/** Field states as the engine answers them: the selected values the field holds come first. */
async function query(request: QueryRequest): Promise<QueryResult> {
  if (!("field" in request)) throw new Error("field queries only");
  const asked = request.selections?.[request.field] ?? [];
  const values = (held[request.field] ?? [])
    .filter((v) => asked.includes(v))
    .map((value) => ({ text: String(value), value, state: "selected" as const, frequency: 1 }));
  return {
    kind: "field",
    field: request.field,
    type: "text",
    values,
    totalValues: 3,
    page: request.page ?? { offset: 0, limit: 50 },
  };
}

describe("checkSelections", () => {
  it("keeps what the app holds and reports each unknown field and missing value", async () => {
    const result = await checkSelections(
      { Colour: ["Red"], Region: ["North", "Atlantis"], Year: [1999], Month: [] },
      app,
      query,
    );
    expect(result.selections).toEqual({ Region: ["North"] });
    expect(result.dropped).toEqual([
      expect.objectContaining({ code: "FIELD_NOT_FOUND", field: "Colour" }),
      expect.objectContaining({
        code: "VALUE_NOT_FOUND",
        field: "Region",
        message: expect.stringContaining('"Atlantis"'),
      }),
      expect.objectContaining({
        code: "VALUE_NOT_FOUND",
        field: "Year",
        message: expect.stringContaining("nothing selected"),
      }),
    ]);
  });

  it("names the app's fields in FIELD_NOT_FOUND", () => {
    expect(unknownField("Colour", "spending", fields).message).toBe(
      'There is no field "Colour" in app "spending"; its fields are: Region, Year',
    );
  });
});

describe("heldValues", () => {
  const answer = (values: Array<{ text: string; value: string; num?: number }>): QueryResult => ({
    kind: "field",
    field: "Month",
    type: "text",
    values: values.map((v) => ({ ...v, state: "selected" as const, frequency: 1 })),
    totalValues: 12,
    page: { offset: 0, limit: 2 },
  });

  it("holds a dual field's value asked by the number behind its text", () => {
    const result = answer([{ text: "Mar", value: "Mar", num: 3 }]);
    expect(heldValues(result, [3, "3", "Mar", 4, ""])).toEqual([3, "3", "Mar"]);
    // Only plain decimals name a number, as the engine reads them.
    expect(heldValues(result, ["0x3", " ", "3e0"])).toEqual([]);
  });

  it("holds nothing by number in a field that is not dual", () => {
    expect(heldValues(answer([{ text: "Mar", value: "Mar" }]), [3])).toEqual([]);
  });
});
