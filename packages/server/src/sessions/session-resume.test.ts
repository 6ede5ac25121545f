import { afterEach, describe, expect, it } from "vitest";
import { NO_ANONYMOUS_LIMITS, withAnonymousLimits } from "../testing/anonymous-limits.js";
import { classicConfig, createHarness, type Harness, OTHER_PORTAL, PORTAL } from "../testing/harness.js";
import { createVisitHarness, type VisitHarness } from "../testing/visit-harness.js";

const SECOND = 1000;

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

type Server = Pick<Harness, "request" | "json" | "advance" | "clock" | "storage" | "app">;

async function harness(licenses = ""): Promise<Harness> {
  const h = await createHarness(withAnonymousLimits(await classicConfig(licenses), NO_ANONYMOUS_LIMITS), {
    rateLimit: { capacity: 10_000, refillPerSecond: 10_000 },
  });
  close = () => h.close();
  return h;
}

/** `POST tickets/anonymous {resume: true}` from `origin`: the ticket and the identity's first credential. */
async function resumableTicket(h: Server, origin = PORTAL, prefix = "anon") {
  const res = await h.request(
    `/${prefix}/api/v1/tickets/anonymous`,
    h.json("POST", { resume: true }, { origin }),
  );
  expect(res.status).toBe(201);
  const body = (await res.json()) as { ticket: string; resume?: string };
  expect(body.resume).toEqual(expect.any(String));
  return { ticket: body.ticket, resume: body.resume as string };
}

/** The frame's redemption on behalf of the page at `origin` (the request itself comes from the page). */
async function redeem(h: Server, ticket: string, origin = PORTAL) {
  const res = await h.request("/anon/api/v1/sessions", h.json("POST", { ticket }, { origin }));
  expect(res.status).toBe(201);
  return (await res.json()) as { sessionToken: string; user: { userId: string } };
}

function resume(h: Server, credential: string, origin = PORTAL, prefix = "anon") {
  return h.request(`/${prefix}/api/v1/sessions/resume`, h.json("POST", { resume: credential }, { origin }));
}

/** As the SDK sends it when the page goes away: a simple request, text/plain. */
function leave(h: Server, credential: string, origin = PORTAL) {
  return h.request("/anon/api/v1/sessions/leave", {
    method: "POST",
    headers: { origin, "content-type": "text/plain;charset=UTF-8" },
    body: JSON.stringify({ resume: credential }),
  });
}

async function sessionOf(h: Server, token: string) {
  const res = await h.request("/anon/api/v1/sessions/current", {
    headers: { authorization: `Bearer ${token}` },
  });
  return res.status === 200 ? ((await res.json()) as { id: string; user: { userId: string } }) : res.status;
}

describe("resuming an anonymous visitor's session", () => {
  it("a reload resumes the same session and identity; each credential works once", async () => {
    const h = await harness();
    const first = await resumableTicket(h);
    const session = await redeem(h, first.ticket);
    const before = await sessionOf(h, session.sessionToken);

    const res = await resume(h, first.resume);
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBe(PORTAL);
    const resumed = (await res.json()) as { ticket: string; resume: string };
    expect(resumed.resume).not.toBe(first.resume);
    const joined = await redeem(h, resumed.ticket);
    expect(await sessionOf(h, joined.sessionToken)).toEqual(before);

    // Used once: the old credential is refused; the new one works.
    const again = await resume(h, first.resume);
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("TICKET_USED");
    expect((await resume(h, resumed.resume)).status).toBe(201);
  });

  it("a credential is useless from another origin, on another proxy, or as a ticket", async () => {
    const h = await harness();
    const { ticket, resume: credential } = await resumableTicket(h);
    await redeem(h, ticket);
    const elsewhere = await resume(h, credential, OTHER_PORTAL);
    expect(elsewhere.status).toBe(401);
    expect(((await elsewhere.json()) as { error: { code: string } }).error.code).toBe("TICKET_INVALID");
    const noOrigin = await h.request("/anon/api/v1/sessions/resume", h.json("POST", { resume: credential }));
    expect(noOrigin.status).toBe(401);
    const otherProxy = await resume(h, credential, PORTAL, "partner");
    expect(otherProxy.status).toBe(401);
    const asTicket = await h.request(
      "/anon/api/v1/sessions",
      h.json("POST", { ticket: credential }, { origin: PORTAL }),
    );
    expect(asTicket.status).toBe(401);
    // None of those used it up.
    expect((await resume(h, credential)).status).toBe(201);
  });

  it("after the session ended, a credential starts a new session of the same identity, reusing its pass", async () => {
    const h = await harness(`
licenses:
  loginAccessPasses: 1
  rules:
    - { name: Anonymous passes, type: loginAccessPass, condition: user.IsAnonymous() }
`);
    const first = await resumableTicket(h);
    const session = await redeem(h, first.ticket);
    const identity = session.user.userId;
    expect(
      (
        await h.request("/anon/api/v1/sessions/current", {
          method: "DELETE",
          headers: { authorization: `Bearer ${session.sessionToken}` },
        })
      ).status,
    ).toBe(204);
    h.advance(20 * 60_000);
    const res = await resume(h, first.resume);
    expect(res.status).toBe(201);
    const next = await redeem(h, ((await res.json()) as { ticket: string }).ticket);
    expect(next.user.userId).toBe(identity);
    expect(await sessionOf(h, next.sessionToken)).not.toEqual(await sessionOf(h, session.sessionToken));
    // The pool holds one pass: the identity's pass, 20 minutes old, covers the new session.
    const usage = (await (
      await h.request("/admin/api/v1/licenses/usage", { headers: h.admin() })
    ).json()) as {
      loginAccessPasses: { used: number };
    };
    expect(usage.loginAccessPasses.used).toBe(1);
    // Another visitor, a new identity, finds the pool empty.
    const stranger = await resumableTicket(h);
    const refused = await h.request(
      "/anon/api/v1/sessions",
      h.json("POST", { ticket: stranger.ticket }, { origin: PORTAL }),
    );
    expect(refused.status).toBe(403);
  });
});

describe("a page that says its visitor left", () => {
  let v: VisitHarness;

  async function visits() {
    v = await createVisitHarness(withAnonymousLimits(await classicConfig(), NO_ANONYMOUS_LIMITS));
    close = () => v.close();
    return v as unknown as Server;
  }

  async function sessionEnds(_h: Server) {
    return v.events("&type=sessionEnd");
  }

  it("ends the session after the grace with reason left, its duration up to the leaving", async () => {
    const h = await visits();
    const { ticket, resume: credential } = await resumableTicket(h);
    const session = await redeem(h, ticket);
    h.advance(3 * SECOND);
    expect(await sessionOf(h, session.sessionToken)).toMatchObject({ user: expect.anything() });
    h.advance(1 * SECOND);
    const left = await leave(h, credential);
    expect(left.status).toBe(204);
    expect(left.headers.get("access-control-allow-origin")).toBe(PORTAL);
    h.advance(9 * SECOND); // within anon's 10 s grace
    expect(await h.app.sessionSweeper.sweep()).toBe(0);
    h.advance(2 * SECOND);
    expect(await h.app.sessionSweeper.sweep()).toBe(1);
    const ends = await sessionEnds(h);
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ reason: "left", durationMs: 4 * SECOND });
    expect(await sessionOf(h, session.sessionToken)).toBe(401);
  });

  it("a reload within the grace resumes the session, and it does not end", async () => {
    const h = await visits();
    const { ticket, resume: credential } = await resumableTicket(h);
    const session = await redeem(h, ticket);
    expect((await leave(h, credential)).status).toBe(204);
    h.advance(2 * SECOND);
    const res = await resume(h, credential);
    expect(res.status).toBe(201);
    await redeem(h, ((await res.json()) as { ticket: string }).ticket);
    h.advance(60 * SECOND);
    expect(await h.app.sessionSweeper.sweep()).toBe(0);
    expect(await sessionOf(h, session.sessionToken)).toMatchObject({ user: expect.anything() });
  });

  it("a resume cancels a pending leave at once; the old page's late leave with the used credential is refused", async () => {
    const h = await visits();
    const { ticket, resume: credential } = await resumableTicket(h);
    const session = await redeem(h, ticket);
    expect((await leave(h, credential)).status).toBe(204);
    const res = await resume(h, credential);
    expect(res.status).toBe(201);
    // The reload's ticket is not even redeemed yet: the session is kept all the same.
    h.advance(30 * SECOND);
    expect(await h.app.sessionSweeper.sweep()).toBe(0);
    // The old page's leave arrives late, or a stale copy is replayed: spent, refused, nothing ends.
    const late = await leave(h, credential);
    expect(late.status).toBe(401);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe("TICKET_USED");
    h.advance(30 * SECOND);
    expect(await h.app.sessionSweeper.sweep()).toBe(0);
    expect(await sessionOf(h, session.sessionToken)).toMatchObject({ user: expect.anything() });
  });

  it("a page reports only its own URL to the visit log", async () => {
    const h = await visits();
    const own = await h.request(
      "/anon/api/v1/tickets/anonymous",
      h.json("POST", { pageUrl: `${PORTAL}/library` }, { origin: PORTAL }),
    );
    await redeem(h, ((await own.json()) as { ticket: string }).ticket);
    const other = await h.request(
      "/anon/api/v1/tickets/anonymous",
      h.json("POST", { pageUrl: "https://someone-else.example/page" }, { origin: PORTAL }),
    );
    await redeem(h, ((await other.json()) as { ticket: string }).ticket);
    const starts = await v.events("&type=sessionStart");
    expect(starts.map((s) => s.pageUrl)).toEqual([`${PORTAL}/library`, null]);
  });

  it("a request after the leaving (the visitor's other tab) keeps the session; a leave from another origin is refused", async () => {
    const h = await visits();
    const { ticket, resume: credential } = await resumableTicket(h);
    const session = await redeem(h, ticket);
    expect((await leave(h, credential, OTHER_PORTAL)).status).toBe(401);
    expect((await leave(h, credential)).status).toBe(204);
    h.advance(2 * SECOND);
    expect(await sessionOf(h, session.sessionToken)).toMatchObject({ user: expect.anything() });
    h.advance(60 * SECOND);
    expect(await h.app.sessionSweeper.sweep()).toBe(0);
    // When it does time out, it is a timeout, not a leaving.
    h.advance(31 * 60_000);
    expect(await h.app.sessionSweeper.sweep()).toBe(1);
    expect((await sessionEnds(h))[0]).toMatchObject({ reason: "timeout" });
  });
});
