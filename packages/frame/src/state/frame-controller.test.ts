import { type FrameEvent, firstQueries } from "@portico/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SessionStore } from "../session/session-store.js";
import { fakeApi, resultFor, sessionAnswer } from "../testing/fake-api.js";
import { FrameController } from "./frame-controller.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A server that answers a new session with its app and every first query of the view it names. */
function prefetchingApi() {
  const api = fakeApi();
  api.handlers.createSession = async (_ticket, _origin, first) => {
    const sheet = api.app.sheets.find((s) => s.id === first?.view?.sheet) ?? api.app.sheets[0];
    const requests = firstQueries(sheet?.objects ?? [], first?.view?.selections ?? {});
    return sessionAnswer(api.app, {
      results: requests.map((request) => ({ request, result: resultFor(request) })),
    });
  };
  return api;
}

function embed(api = prefetchingApi()) {
  const controller = new FrameController({
    api: api.api,
    session: new SessionStore("test", () => undefined),
    view: "sheet",
    app: "spending",
    sheet: "overview",
    hostOrigin: "https://host.example",
  });
  const events: FrameEvent[] = [];
  controller.addEventListener("frame-event", (e) => events.push((e as CustomEvent<FrameEvent>).detail));
  controller.attachHost({ getTicket: async () => "ticket", emit: () => undefined });
  return { controller, events, ...api };
}

const dataCalls = (calls: Array<{ method: string }>) =>
  calls.filter((c) => c.method === "query" || c.method === "queries" || c.method === "app");

describe("FrameController", () => {
  it("a cold embed is ticket, session with app and data, done: no request after the session answer", async () => {
    const { controller, calls, events } = embed();
    await controller.start();
    expect(controller.status).toBe("ready");
    expect(calls.map((c) => c.method)).toEqual(["createSession"]);
    expect(controller.results.size).toBe(7);
    expect(controller.dataLoads).toBe(1);
    expect(events.map((e) => e.type)).toEqual(["sheetChanged", "ready"]);
    await vi.advanceTimersByTimeAsync(200);
    expect(calls.map((c) => c.method)).toEqual(["createSession", "beacon"]);
    controller.dispose();
  });

  it("a selection, and a sheet opened, cost one request each", async () => {
    const { controller, calls, events } = embed();
    await controller.start();
    await controller.select("Year", [2024]);
    expect(dataCalls(calls).map((c) => c.method)).toEqual(["queries"]);
    expect(events.filter((e) => e.type === "selectionsChanged")).toEqual([
      { type: "selectionsChanged", selections: { Year: [2024] } },
    ]);
    expect(controller.results.get("total")).toMatchObject({ object: 'total {"Year":[2024]}' });
    await controller.openSheet("regions");
    expect(dataCalls(calls).map((c) => c.method)).toEqual(["queries", "queries"]);
    expect(controller.objects.map((o) => o.id)).toEqual(["region-year"]);
    controller.dispose();
  });

  it("the session lapsed on the server: one recovery, the same view, then the request again", async () => {
    const api = prefetchingApi();
    const { controller, events, handlers } = embed(api);
    await controller.start();
    const answer = handlers.queries;
    handlers.queries = async () => {
      handlers.queries = answer;
      throw Object.assign(new Error("gone"), { code: "SESSION_EXPIRED", message: "gone" });
    };
    await expect(controller.select("Region", ["East"])).resolves.toEqual({ Region: ["East"] });
    expect(events.map((e) => e.type)).toContain("sessionRecovered");
    expect(api.callsOf("createSession")).toHaveLength(2);
    expect(api.callsOf("createSession")[1]?.args[2]).toEqual({
      app: "spending",
      view: { sheet: "overview", selections: { Region: ["East"] } },
    });
    controller.dispose();
  });

  it("takes the host's ticket timeout", async () => {
    const { controller, events } = embed();
    controller.attachHost({ getTicket: () => new Promise(() => undefined), emit: () => undefined });
    controller.setTicketTimeoutMs(1_000);
    const started = controller.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await started;
    expect(controller.error?.code).toBe("TICKET_TIMEOUT");
    expect(events.at(-1)).toMatchObject({ type: "error", code: "TICKET_TIMEOUT" });
  });
});
