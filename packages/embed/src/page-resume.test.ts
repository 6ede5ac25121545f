import { afterEach, describe, expect, it, vi } from "vitest";
import type { ResolvedClientOptions } from "./client-options.js";
import { keepCredential, readCredential, resumeTicket } from "./page-resume.js";

const client = {
  server: "https://bi.example.com",
  proxyBase: "/anon",
  pageUrl: "none",
} as ResolvedClientOptions;

afterEach(() => {
  vi.unstubAllGlobals();
  keepCredential("k", "off", undefined);
});

describe("the page's resume credential", () => {
  it("resumes with the stored credential another tab replaced, and never removes a successor", async () => {
    const items = new Map<string, string>();
    vi.stubGlobal("localStorage", {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => items.set(k, v),
      removeItem: (k: string) => items.delete(k),
    });
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    keepCredential("k", "browser", "mine");
    // Another tab of the site resumed with it and stored its successor.
    items.set("portico:resume:k", "theirs");
    fetch.mockResolvedValueOnce(Response.json({ error: { code: "TICKET_USED" } }, { status: 401 }));
    expect(await resumeTicket(client, "k", "browser")).toBeUndefined();
    expect(JSON.parse((fetch.mock.calls[0] as [string, RequestInit])[1].body as string).resume).toBe(
      "theirs",
    );
    // "theirs" was refused and is the stored one: forgotten. Had a tab stored another meanwhile, it stays.
    expect(items.has("portico:resume:k")).toBe(false);
    keepCredential("k", "browser", "next");
    items.set("portico:resume:k", "newer");
    fetch.mockImplementationOnce(async () => {
      items.set("portico:resume:k", "newest");
      return Response.json({ error: { code: "TICKET_USED" } }, { status: 401 });
    });
    await resumeTicket(client, "k", "browser");
    expect(items.get("portico:resume:k")).toBe("newest");
  });

  it("keeps it in the mode's storage and in memory; blocked storage leaves memory", () => {
    const items = new Map<string, string>();
    vi.stubGlobal("sessionStorage", {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => items.set(k, v),
      removeItem: (k: string) => items.delete(k),
    });
    keepCredential("k", "tab", "c1");
    expect(items.get("portico:resume:k")).toBe("c1");
    keepCredential("k", "off", undefined);
    // A reload: memory is gone, the tab's storage has it.
    expect(readCredential("k", "tab")).toBe("c1");
    vi.stubGlobal("localStorage", {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    });
    keepCredential("k", "browser", "c2");
    expect(readCredential("k", "browser")).toBe("c2");
  });

  it("trades it for a ticket and the next credential; a refused one is forgotten, an outage keeps it", async () => {
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    keepCredential("k", "off", "c1");
    fetch.mockResolvedValueOnce(Response.json({ ticket: "t", resume: "c2" }, { status: 201 }));
    expect(await resumeTicket(client, "k", "off")).toBe("t");
    const [url, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("https://bi.example.com/anon/api/v1/sessions/resume");
    // A simple request: a string body (text/plain), no custom header, no cookies.
    expect(init).toMatchObject({ method: "POST", credentials: "omit", body: '{"resume":"c1"}' });
    expect(init.headers).toBeUndefined();
    expect(readCredential("k", "off")).toBe("c2");

    fetch.mockResolvedValueOnce(Response.json({ error: { code: "UNAVAILABLE" } }, { status: 503 }));
    expect(await resumeTicket(client, "k", "off")).toBeUndefined();
    expect(readCredential("k", "off")).toBe("c2");
    fetch.mockResolvedValueOnce(Response.json({ error: { code: "RATE_LIMITED" } }, { status: 429 }));
    expect(await resumeTicket(client, "k", "off")).toBeUndefined();
    expect(readCredential("k", "off")).toBe("c2");
    fetch.mockResolvedValueOnce(Response.json({ error: { code: "TICKET_USED" } }, { status: 401 }));
    expect(await resumeTicket(client, "k", "off")).toBeUndefined();
    expect(readCredential("k", "off")).toBeUndefined();
  });
});
