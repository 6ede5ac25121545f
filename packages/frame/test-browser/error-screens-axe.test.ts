// Every error screen, audited by axe-core at the WCAG 2.0/2.1/2.2 A and AA rules in both themes and both
// languages, with its "Try again" and "Log in" actions: the end-to-end audit (test/a11y-axe.test.ts) can
// only bring some of these failures about for real.
import { after, before, describe, expect, it } from "../../../test/support/wtr.js";
import { SCREEN_CODES } from "../src/i18n/strings.js";
import { loadTheme, mountErrorScreen, theme } from "./component-harness.js";

const WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];
const CODES = [...SCREEN_CODES, "INTERNAL"];

interface Axe {
  getRules(tags: string[]): Array<{ ruleId: string }>;
  run(context: Element, options: unknown): Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }>;
}
let axe: Axe;

before(async () => {
  await loadTheme();
  // The dev server serves the repository's node_modules: axe-core's browser build, as a page would load it.
  await new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "/node_modules/axe-core/axe.min.js";
    script.onload = resolve;
    script.onerror = reject;
    document.head.append(script);
  });
  axe = (window as unknown as { axe: Axe }).axe;
});

after(() => {
  document.body.replaceChildren();
  theme("light");
});

describe("error screens", () => {
  it("pass axe for every code, in both themes and languages, with their actions", async () => {
    const found: string[] = [];
    const rules = axe.getRules(WCAG_AA_TAGS).map((r) => r.ruleId);
    for (const name of ["light", "dark"] as const) {
      theme(name);
      for (const locale of ["en", "de-DE"])
        for (const code of CODES) {
          const screen = await mountErrorScreen(code, locale);
          screen.retryable = code === "UNAVAILABLE" || code === "INTERNAL";
          screen.loginHref = code === "ANONYMOUS_DISABLED" ? "/hub?login=1" : undefined;
          await screen.updateComplete;
          const result = await axe.run(screen, { runOnly: { type: "rule", values: rules } });
          for (const v of result.violations) found.push(`${name} ${locale} ${code}: ${v.id}`);
        }
    }
    expect(found).toEqual([]);
  });
});
