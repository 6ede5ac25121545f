import { describe, expect, it } from "vitest";
import { ACTIONS, ALL_ACTIONS_MASK, actionsToMask, isActionName, maskToActions } from "./actions.js";
import { RulesError } from "./errors.js";

describe("actions", () => {
  it("has the bit values of the hub", () => {
    expect(ACTIONS).toEqual({
      create: 1,
      read: 2,
      update: 4,
      delete: 8,
      export: 16,
      publish: 32,
      changeowner: 64,
      changerole: 128,
      exportdata: 256,
      accessoffline: 512,
      distribute: 1024,
      duplicate: 2048,
      approve: 4096,
    });
    expect(ALL_ACTIONS_MASK).toBe(8191);
  });

  it("converts between names and masks", () => {
    expect(actionsToMask(["read", "publish"])).toBe(34);
    expect(maskToActions(34)).toEqual(["read", "publish"]);
    expect(maskToActions(actionsToMask(["approve", "create"]))).toEqual(["create", "approve"]);
    expect(actionsToMask([])).toBe(0);
  });

  it("rejects unknown or wrongly cased names", () => {
    expect(() => actionsToMask(["Read"])).toThrow(RulesError);
    expect(() => actionsToMask(["fly"])).toThrow(/unknown action "fly"/);
    expect(isActionName("toString")).toBe(false);
    expect(isActionName("read")).toBe(true);
  });
});
