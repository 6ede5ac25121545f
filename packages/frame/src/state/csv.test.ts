import type { HypercubeResult } from "@portico/protocol";
import { describe, expect, it } from "vitest";
import { hypercubeToCsv } from "./csv.js";

describe("hypercubeToCsv", () => {
  it("quotes, keeps numbers raw, and defuses formulas", () => {
    const cube: HypercubeResult = {
      kind: "hypercube",
      object: "o",
      dimensions: [{ field: "Name", label: "Name", type: "text" }],
      measures: [{ expression: "Sum(A)", label: "Sum, A" }],
      rows: [
        { dimensions: [{ text: 'Say "hi"', value: 'Say "hi"' }], measures: [1234.5] },
        { dimensions: [{ text: "=HYPERLINK(1)", value: "=HYPERLINK(1)" }], measures: [null] },
        { dimensions: [{ text: "-5", value: "-5" }], measures: [-5] },
      ],
      totalRows: 3,
      totals: [1229.5],
      page: { offset: 0, limit: 10 },
    };
    expect(hypercubeToCsv(cube)).toBe(
      'Name,"Sum, A"\r\n"Say ""hi""",1234.5\r\n\'=HYPERLINK(1),\r\n\'-5,-5\r\n',
    );
  });
});
