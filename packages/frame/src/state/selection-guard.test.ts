import type {
  AppDetail,
  FieldStatesResult,
  FrameEvent,
  QueryRequest,
  Selections,
  SelectionValue,
} from "@portico/protocol";
import { describe, expect, it } from "vitest";
import { SelectionGuard } from "./selection-guard.js";

/** The app's data: the values each field holds. */
const HELD: Record<string, SelectionValue[]> = { Region: ["North", "South"], Year: [2023, 2024] };

const APP = {
  id: "spending",
  fields: Object.keys(HELD).map((name) => ({ name, type: "text", cardinality: 2, tables: ["t"] })),
} as unknown as AppDetail;

/** The query scheduler as the guard uses it, over `HELD`: a value check selects what the field holds. */
function fakeQueries(initial: Selections = {}) {
  const requests: QueryRequest[] = [];
  const queries = {
    selections: initial,
    async select(field: string, values: readonly SelectionValue[]) {
      queries.selections = { ...queries.selections, [field]: [...values] };
      return queries.selections;
    },
    async selectChecked(field: string, values: readonly SelectionValue[]) {
      const held = values.filter((v) => HELD[field]?.includes(v));
      return { selections: await queries.select(field, values), held };
    },
    async query(request: QueryRequest): Promise<FieldStatesResult> {
      requests.push(request);
      const field = "field" in request ? request.field : "";
      const asked = request.selections?.[field] ?? [];
      const values = (HELD[field] ?? []).map((value) => ({
        text: String(value),
        value,
        state: asked.includes(value) ? ("selected" as const) : ("excluded" as const),
        frequency: 1,
      }));
      return { kind: "field", field, type: "text", values, totalValues: values.length, page: request.page! };
    },
    async replace(next: Selections) {
      queries.selections = next;
      return next;
    },
  };
  return { queries, requests };
}

function guardOver(initial: Selections = {}, app: () => AppDetail | undefined = () => APP) {
  const { queries, requests } = fakeQueries(initial);
  const events: FrameEvent[] = [];
  let runs = 0;
  const guard = new SelectionGuard({
    app,
    queries,
    run: (fn) => {
      runs++;
      return fn();
    },
    emit: (event) => events.push(event),
  });
  return { guard, queries, requests, events, runs: () => runs };
}

describe("SelectionGuard.select", () => {
  it("refuses a field the app does not have, naming its fields", async () => {
    const { guard, queries } = guardOver();
    await expect(guard.select("Regoin", ["North"])).rejects.toMatchObject({
      code: "FIELD_NOT_FOUND",
      message: expect.stringContaining("Region, Year"),
    });
    expect(queries.selections).toEqual({});
  });

  it("keeps the values the field holds and warns about the others", async () => {
    const { guard, events } = guardOver();
    await expect(guard.select("Region", ["North", "Nowhere"])).resolves.toEqual({ Region: ["North"] });
    expect(events).toEqual([
      expect.objectContaining({ type: "error", level: "warning", code: "VALUE_NOT_FOUND", field: "Region" }),
    ]);
  });

  it("when none is held, the field's selection stays as it was", async () => {
    const { guard, events } = guardOver({ Region: ["South"] });
    await expect(guard.select("Region", ["Nowhere"])).resolves.toEqual({ Region: ["South"] });
    expect(events).toHaveLength(1);
  });

  it("before the app is known, or for an empty list, selects as asked", async () => {
    const unknownApp = guardOver({}, () => undefined);
    await expect(unknownApp.guard.select("Anything", ["x"])).resolves.toEqual({ Anything: ["x"] });
    const { guard } = guardOver({ Region: ["North"] });
    await expect(guard.select("Region", [])).resolves.toEqual({ Region: [] });
  });
});

describe("SelectionGuard.checkInitial", () => {
  it("drops an unknown field at once, before any request, and tells the host", async () => {
    const { guard, queries, events, requests } = guardOver({ Regoin: ["North"] });
    const checked = guard.checkInitial();
    // Synchronously, before the first load could start.
    expect(queries.selections).toEqual({});
    await checked;
    expect(requests).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(["error", "selectionsChanged"]);
    expect(events[0]).toMatchObject({ level: "warning", code: "FIELD_NOT_FOUND", field: "Regoin" });
  });

  it("checks the values with one value check per field and drops the missing ones", async () => {
    const { guard, queries, events, requests, runs } = guardOver({
      Region: ["North", "Nowhere"],
      Year: [2024],
    });
    await guard.checkInitial();
    expect(requests.map((r) => ("field" in r ? r.field : r.object)).sort()).toEqual(["Region", "Year"]);
    expect(queries.selections).toEqual({ Region: ["North"], Year: [2024] });
    expect(events).toEqual([expect.objectContaining({ code: "VALUE_NOT_FOUND", field: "Region" })]);
    // The check and the replacement each ran under the session.
    expect(runs()).toBe(2);
  });

  it("runs once, and leaves selections the visitor changed meanwhile alone", async () => {
    const { guard, queries } = guardOver({ Region: ["Nowhere"] });
    const checked = guard.checkInitial();
    queries.selections = { Year: [2023] };
    await checked;
    expect(queries.selections).toEqual({ Year: [2023] });
    queries.selections = { Region: ["Nowhere"] };
    await guard.checkInitial();
    expect(queries.selections).toEqual({ Region: ["Nowhere"] });
  });

  it("good selections cost no change and no event", async () => {
    const { guard, queries, events } = guardOver({ Year: [2023] });
    const before = queries.selections;
    await guard.checkInitial();
    expect(queries.selections).toBe(before);
    expect(events).toEqual([]);
  });
});
