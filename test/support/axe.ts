// axe-core, the engine behind most accessibility tooling, run inside a page or frame of real Chromium.
// The source is evaluated through the DevTools protocol, so a page's Content-Security-Policy (the frame
// allows no inline script) does not stop it, and nothing is added to what the server sends.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Frame, Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA: the level public bodies must meet. */
export const WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

export interface AxeOptions {
  /** Rules turned off, each with the reason (a rule may only be disabled with one). */
  disabled?: Record<string, string>;
  /** Do not descend into iframes (a host page whose frame is audited on its own). */
  skipFrames?: boolean;
}

/**
 * The WCAG A/AA violations on `target`'s document, one line each (rule, impact, the elements, what to
 * fix), so a failing assertion says what is wrong without a second run.
 */
export async function axeViolations(target: Page | Frame, options: AxeOptions = {}): Promise<string[]> {
  const injected = await target.evaluate(() => "axe" in window);
  if (!injected) await target.evaluate(AXE_SOURCE);
  const disabled = Object.keys(options.disabled ?? {});
  return target.evaluate(
    async ({ tags, disabled, iframes }) => {
      const axe = (window as unknown as { axe: typeof import("axe-core") }).axe;
      // Every rule with one of the tags, the experimental ones included (label-content-name-mismatch, the
      // check of WCAG 2.5.3 "Label in Name", is one): a run by tag alone would leave them out.
      const ids = axe
        .getRules(tags)
        .map((r) => r.ruleId)
        .filter((id) => !disabled.includes(id));
      const result = await axe.run(document, {
        runOnly: { type: "rule", values: ids },
        iframes,
        resultTypes: ["violations"],
      });
      return result.violations.map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} — ${v.nodes
            .slice(0, 6)
            .map((n) => `${JSON.stringify(n.target)} ${n.failureSummary?.replace(/\s+/g, " ") ?? ""}`)
            .join(" | ")}`,
      );
    },
    { tags: WCAG_AA_TAGS, disabled, iframes: !options.skipFrames },
  );
}
