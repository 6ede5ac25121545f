// The design tokens' contrast in both themes, computed as WCAG 2.2 defines it: axe-core checks the text it
// can see in a page, but not SVG marks against their card (non-text contrast, 1.4.11) nor colour pairs the
// audited states happen not to show.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const CSS = readFileSync(new URL("./theme.css", import.meta.url), "utf8");

/** The `--portico-*` tokens of the block that starts with `selector`, light ones under dark ones. */
function tokens(selector: string): Record<string, string> {
  const block = CSS.slice(CSS.indexOf(`${selector} {`));
  const body = block.slice(0, block.indexOf("\n}"));
  return Object.fromEntries([...body.matchAll(/(--portico-[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2]]));
}
const LIGHT = tokens(":root");
const THEMES = { light: LIGHT, dark: { ...LIGHT, ...tokens(':root[data-theme="dark"]') } };

function hex(theme: Record<string, string>, name: string): string {
  let value = theme[name] ?? "";
  while (value.startsWith("var(")) value = theme[value.slice(4, -1)] ?? "";
  if (!/^#[0-9a-f]{6}$/i.test(value)) throw new Error(`${name} is not a colour: ${value}`);
  return value;
}

/** WCAG's contrast ratio of two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const luminance = (c: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const v = Number.parseInt(c.slice(i, i + 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const TEXT_PAIRS = [
  ["text", "surface"],
  ["text", "bg"],
  ["muted", "surface"],
  ["muted", "surface-alt"],
  ["link", "surface"],
  ["on-accent", "accent"],
  ["danger", "surface"],
  ["kpi", "surface"],
  ["tooltip-text", "tooltip-bg"],
  ["on-selected", "selected"],
  ["on-possible", "possible"],
  ["on-alternative", "alternative"],
  ["on-excluded", "excluded"],
] as const;

describe.each(Object.entries(THEMES))("the %s theme", (_, theme) => {
  const ratio = (a: string, b: string) =>
    contrast(hex(theme, `--portico-${a}`), hex(theme, `--portico-${b}`));

  it.each(TEXT_PAIRS)("%s on %s reads at 4.5:1 (text)", (fg, bg) => {
    expect(ratio(fg, bg)).toBeGreaterThanOrEqual(4.5);
  });

  it("draws every series colour and the focus ring at 3:1 against the card (non-text)", () => {
    for (let i = 1; i <= 8; i++)
      expect(ratio(`series-${i}`, "surface"), `series-${i}`).toBeGreaterThanOrEqual(3);
    expect(ratio("focus", "surface")).toBeGreaterThanOrEqual(3);
  });
});

it("the light palette carries white value labels inside its marks (4.5:1)", () => {
  for (let i = 1; i <= 8; i++)
    expect(contrast(hex(LIGHT, `--portico-series-${i}`), "#ffffff"), `series-${i}`).toBeGreaterThanOrEqual(
      4.5,
    );
});
