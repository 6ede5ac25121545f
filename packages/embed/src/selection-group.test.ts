import type { Selections } from "@portico/protocol";
import { describe, expect, it } from "vitest";
import { type GroupMember, SelectionGroups } from "./selection-group.js";

/** A member whose frame takes its selections one step at a time, reporting each step as a frame does. */
function member(report: (s: Selections) => void = () => {}) {
  const shown: Selections[] = [];
  const m: GroupMember & { shown: Selections[] } = {
    shown,
    async show(selections) {
      // A frame applies field by field: it reports the intermediate state too.
      report({});
      shown.push(selections);
      report(selections);
    },
  };
  return m;
}

describe("SelectionGroups", () => {
  it("shows one member's change in every other, and ignores what members report while catching up", async () => {
    const groups = new SelectionGroups();
    let reportB: (s: Selections) => void = () => {};
    const a = member();
    const b = member((s) => reportB(s));
    const ma = groups.join("app|g", a);
    const mb = groups.join("app|g", b);
    reportB = mb.report;
    ma.report({ Year: [2023] });
    await new Promise((r) => setTimeout(r, 0));
    expect(b.shown).toEqual([{ Year: [2023] }]);
    // b's intermediate `{}` was not taken for a change of the group.
    expect(a.shown).toEqual([]);
  });

  it("gives a late member the group's selections, keeps groups apart, and forgets an empty group", async () => {
    const groups = new SelectionGroups();
    const a = member();
    groups.join("app|g", a).report({ Region: ["North"] });
    const late = member();
    const other = member();
    groups.join("app|g", late);
    groups.join("app|h", other);
    await new Promise((r) => setTimeout(r, 0));
    expect(late.shown).toEqual([{ Region: ["North"] }]);
    expect(other.shown).toEqual([]);
  });
});
