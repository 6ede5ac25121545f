import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GRAMMAR_PATH, generateParserSource, PARSER_PATH } from "../../scripts/generate-parser.js";

describe("the checked-in parser", () => {
  it("is what the grammar generates (run `npm run gen -w @portico/rules` after editing the grammar)", () => {
    const expected = generateParserSource(readFileSync(GRAMMAR_PATH, "utf8"));
    const actual = readFileSync(PARSER_PATH, "utf8");
    expect(actual === expected, "parser.generated.ts is stale: run npm run gen -w @portico/rules").toBe(true);
  });

  it("differs when the grammar changes (the check above can fail)", () => {
    const grammar = readFileSync(GRAMMAR_PATH, "utf8").replace('"and"i', '"und"i');
    expect(generateParserSource(grammar)).not.toBe(readFileSync(PARSER_PATH, "utf8"));
  });
});
