import { nothing, svg, type TemplateResult } from "lit";
import { fitText, textWidth } from "./chart-context.js";

/** Category labels are drawn at this size (px). */
export const CATEGORY_FONT_PX = 11;
/** Horizontal labels need this much room between them. */
const GAP_PX = 6;
/** Height of one row of horizontal labels under the plot, and of each further line. */
const HORIZONTAL_HEIGHT_PX = 22;
const LINE_PX = 13;
/** Horizontal labels may wrap onto this many lines at their spaces before they slant. */
const MAX_LINES = 2;
/** Slanted labels stand this far apart along the axis at least (a line of 11 px text, slanted 45°). */
const SLANTED_SLOT_PX = 16;
/** Upright labels need a line's height each. */
const UPRIGHT_SLOT_PX = 13;
/** Labels never take more than this share of the chart's height, nor more than this length. */
const MAX_SHARE_OF_HEIGHT = 0.4;
const MAX_LABEL_PX = 150;
/** Shorter than this, a label is abbreviated rather than slanted (it would read "Ja…" otherwise). */
const MIN_LABEL_PX = 28;

/** How the labels of a category axis are drawn: every one, legibly, or as many as can be. */
export interface CategoryLabelLayout {
  /** Rotation in degrees: 0 (horizontal), -45 (slanted) or -90 (upright). */
  angle: 0 | -45 | -90;
  /** Each category's label as drawn: whole, or shortened with an ellipsis (the full text goes in `<title>`). */
  texts: string[];
  /** Horizontal labels: each label's lines (one, or wrapped at spaces). */
  lines: string[][];
  /**
   * Every `step`-th label is drawn. 1 unless even upright labels would overlap (hundreds of categories in
   * a small chart); the others stay reachable on their marks (tooltip, keyboard, accessible names).
   */
  step: number;
  /** Room the labels take under the plot (px). */
  heightPx: number;
}

const SIN_45 = Math.SQRT1_2;
/** Slanted labels keep this far from the chart's left edge. */
const EDGE_PX = 2;

/**
 * Fits category labels under a plot whose categories stand `slotPx` apart, in a chart `chartHeightPx` tall:
 * horizontal when every label fits its slot (on up to two lines, broken at spaces); otherwise slanted, and
 * shortened only as far as the height allows; upright when slanted ones would overlap; only past that are
 * labels stepped over.
 */
export function layoutCategoryLabels(
  labels: readonly string[],
  slotPx: number,
  chartHeightPx: number,
): CategoryLabelLayout {
  const fits = (text: string) => textWidth(text, CATEGORY_FONT_PX) + GAP_PX <= slotPx;
  const wrapped = labels.map((label) => wrapLine(label, fits));
  if (wrapped.every((lines) => lines !== undefined)) {
    const lines = wrapped as string[][];
    const count = Math.max(1, ...lines.map((l) => l.length));
    return {
      angle: 0,
      texts: [...labels],
      lines,
      step: 1,
      heightPx: HORIZONTAL_HEIGHT_PX + (count - 1) * LINE_PX,
    };
  }
  const room = Math.max(HORIZONTAL_HEIGHT_PX, chartHeightPx * MAX_SHARE_OF_HEIGHT);
  const slanted = Math.min(MAX_LABEL_PX, (room - 10) / SIN_45);
  if (slotPx >= SLANTED_SLOT_PX && slanted >= MIN_LABEL_PX) {
    const texts = labels.map((l) => fitText(l, slanted, CATEGORY_FONT_PX));
    const longest = Math.max(...texts.map((t) => textWidth(t, CATEGORY_FONT_PX)));
    return {
      angle: -45,
      texts,
      lines: texts.map((t) => [t]),
      step: 1,
      heightPx: Math.ceil(longest * SIN_45 + 16),
    };
  }
  const upright = Math.min(MAX_LABEL_PX, room - 8);
  const texts = labels.map((l) => fitText(l, upright, CATEGORY_FONT_PX));
  const longest = Math.max(...texts.map((t) => textWidth(t, CATEGORY_FONT_PX)));
  const step = Math.max(1, Math.ceil(UPRIGHT_SLOT_PX / Math.max(1, slotPx)));
  return { angle: -90, texts, lines: texts.map((t) => [t]), step, heightPx: Math.ceil(longest + 10) };
}

/** A label on one line, or broken at spaces onto up to `MAX_LINES`, each fitting; undefined if it cannot. */
function wrapLine(label: string, fits: (text: string) => boolean): string[] | undefined {
  if (fits(label)) return [label];
  const words = label.split(" ");
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const next = line === "" ? word : `${line} ${word}`;
    if (fits(next)) line = next;
    else {
      if (line === "" || !fits(word)) return undefined;
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines.length <= MAX_LINES ? lines : undefined;
}

/**
 * The labels under the plot whose bottom edge is at `y`, each at its category's `xOf(i)`. A shortened label
 * carries the whole text in `<title>` (hover) and as its accessible name.
 */
export function renderCategoryLabels(
  layout: CategoryLabelLayout,
  labels: readonly string[],
  xOf: (index: number) => number,
  y: number,
): TemplateResult[] {
  return labels.map((label, i) => {
    if (i % layout.step !== 0) return svg`${nothing}`;
    const x = xOf(i);
    // A slanted label reaches left of its category by its length times sin 45°: near the chart's left edge
    // it is shortened further rather than cut off by the edge.
    const laid = layout.texts[i] ?? label;
    const text = layout.angle === -45 ? fitText(laid, (x - EDGE_PX) / SIN_45, CATEGORY_FONT_PX) : laid;
    const shortened = text !== label;
    if (layout.angle === 0) {
      const lines = layout.lines[i] ?? [text];
      // A wrapped label is one name to assistive technology, not its lines run together.
      return svg`<text class="axis-label category-label" x=${x} y=${y + 15} text-anchor="middle"
        aria-label=${lines.length > 1 ? label : nothing}
        >${lines.length === 1 ? text : lines.map((line, n) => svg`<tspan x=${x} dy=${n === 0 ? 0 : LINE_PX}>${line}</tspan>`)}</text>`;
    }
    // Rotated about its end, which sits just under the category: the text reads upwards to the left.
    const ty = y + 10;
    return svg`<text class="axis-label category-label" x=${x} y=${ty} text-anchor="end" dy="0.35em"
      transform="rotate(${layout.angle} ${x} ${ty})"
      aria-label=${shortened ? label : nothing}>${shortened ? svg`<title>${label}</title>` : nothing}${text}</text>`;
  });
}
