import { describe, expect, it } from "vitest";
import { ByteDictionary } from "./byte-dictionary.js";

const encoder = new TextEncoder();

function codeOf(dictionary: ByteDictionary, text: string): number {
  const bytes = encoder.encode(`[${text}]`);
  return dictionary.codeOf(bytes, 1, bytes.length - 1);
}

describe("ByteDictionary", () => {
  it("codes values by first appearance, empty and white-space cells as 0", () => {
    const dictionary = new ByteDictionary();
    const cells = ["b", "a", "", "b", "  ", "\u00a0\u3000", "a", " a", "é"];
    expect(cells.map((cell) => codeOf(dictionary, cell))).toEqual([1, 2, 0, 1, 0, 0, 2, 3, 4]);
    expect(dictionary.values).toEqual([null, "b", "a", " a", "é"]);
  });

  it("keeps a value's leading U+FEFF: only a file's first bytes are its byte-order mark", () => {
    const dictionary = new ByteDictionary();
    expect([codeOf(dictionary, "\uFEFFx"), codeOf(dictionary, "x")]).toEqual([1, 2]);
    expect(dictionary.values).toEqual([null, "\uFEFFx", "x"]);
  });

  it("tells apart values that differ only in their length or past the bytes a slot holds, even when their hashes collide", () => {
    for (const dictionary of [new ByteDictionary(), new ByteDictionary({ hashMask: 0 })]) {
      const cells = [
        ...["a", "a\0", "a\0\0", "abcd1234", "abcd1235", "abcdefg", "abcdefg\0"],
        ...["2024-01-09", "2024-01-10", "123456789012", "123456789013"],
        ...["1234567890123", "1234567890124", "x".repeat(40), "x".repeat(41)],
      ];
      const codes = cells.map((cell) => codeOf(dictionary, cell));
      expect(codes).toEqual(cells.map((_, i) => i + 1));
      expect(cells.map((cell) => codeOf(dictionary, cell))).toEqual(codes);
      expect(dictionary.values.slice(1)).toEqual(cells);
    }
  });

  it("keeps every code through the table's growth", () => {
    const sizes = [
      { dictionary: new ByteDictionary(), count: 50_000 },
      { dictionary: new ByteDictionary({ hashMask: 0x3f }), count: 3_000 },
    ];
    for (const { dictionary, count } of sizes) {
      const cells = Array.from({ length: count }, (_, i) =>
        i % 3 === 0 ? `long value number ${i}` : String(i * 7),
      );
      const codes = cells.map((cell) => codeOf(dictionary, cell));
      expect(codes).toEqual(cells.map((_, i) => i + 1));
      expect(cells.map((cell) => codeOf(dictionary, cell))).toEqual(codes);
      expect(dictionary.values.slice(1)).toEqual(cells);
    }
  });

  it("reads doubled quotes in a quoted cell as one", () => {
    const dictionary = new ByteDictionary();
    const bytes = encoder.encode('say ""hi""|say "hi"');
    expect(dictionary.codeOfEscaped(bytes, 0, 10)).toBe(1);
    expect(dictionary.codeOf(bytes, 11, bytes.length)).toBe(1);
    expect(dictionary.values).toEqual([null, 'say "hi"']);
  });
});
