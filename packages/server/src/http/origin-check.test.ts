import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, EVIL, type Harness, PORTAL, SECRETS, SELF } from "../testing/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const ALICE = { userId: "alice", password: SECRETS.alicePassword };
const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

/** A session of alice on `/partner` and the cookie a browser would hold for it. */
async function aliceCookie(): Promise<{ token: string; cookie: string }> {
  const res = await h.login("partner", ALICE);
  expect(res.status).toBe(201);
  const token = ((await res.json()) as { sessionToken: string }).sessionToken;
  return { token, cookie: `X-Portico-Session-partner=${token}` };
}

describe("login CSRF: login needs JSON and an allowed Origin", () => {
  it("a text/plain body (what a cross-site form sends) is 415 UNSUPPORTED_MEDIA_TYPE and sets no cookie", async () => {
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      const res = await h.request("/partner/api/v1/sessions/login", {
        method: "POST",
        headers: { "content-type": type, origin: SELF },
        body: JSON.stringify(ALICE),
      });
      expect(res.status, type).toBe(415);
      expect(await codeOf(res)).toBe("UNSUPPORTED_MEDIA_TYPE");
      expect(res.headers.get("set-cookie")).toBeNull();
    }
  });

  it("no Origin, or an origin neither the server's nor allowed, is 403 ORIGIN_NOT_ALLOWED", async () => {
    for (const headers of [{}, { origin: EVIL }, { origin: "null" }] as Record<string, string>[]) {
      const res = await h.request("/partner/api/v1/sessions/login", h.json("POST", ALICE, headers));
      expect(res.status).toBe(403);
      expect(await codeOf(res)).toBe("ORIGIN_NOT_ALLOWED");
      expect(res.headers.get("set-cookie")).toBeNull();
    }
  });

  it("the server's own origin and an allowed host page log in", async () => {
    for (const origin of [SELF, PORTAL]) {
      const res = await h.request("/partner/api/v1/sessions/login", h.json("POST", ALICE, { origin }));
      expect(res.status, origin).toBe(201);
    }
  });
});

describe("cookie-authenticated writes need an allowed Origin", () => {
  it("logout and join tickets by cookie from another site or without Origin are refused; the session stands", async () => {
    const { cookie, token } = await aliceCookie();
    for (const headers of [{ cookie }, { cookie, origin: EVIL }] as Record<string, string>[]) {
      const out = await h.request("/partner/api/v1/sessions/current", { method: "DELETE", headers });
      expect(out.status).toBe(403);
      expect(await codeOf(out)).toBe("ORIGIN_NOT_ALLOWED");
      const join = await h.request("/partner/api/v1/sessions/join-ticket", { method: "POST", headers });
      expect(join.status).toBe(403);
    }
    expect((await h.request("/partner/api/v1/sessions/current", h.bearer(token))).status).toBe(200);
    const own = await h.request("/partner/api/v1/sessions/current", {
      method: "DELETE",
      headers: { cookie, origin: SELF },
    });
    expect(own.status).toBe(204);
  });

  it("a cookie-authenticated data request from another site is refused", async () => {
    const { cookie } = await aliceCookie();
    const res = await h.request(
      "/partner/api/v1/apps/spending/query",
      h.json("POST", { object: "total" }, { cookie, origin: EVIL }),
    );
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe("ORIGIN_NOT_ALLOWED");
  });

  it("a bearer token is not the browser's doing: the frame's requests need no Origin check", async () => {
    const { token } = await aliceCookie();
    const join = await h.request(
      "/partner/api/v1/sessions/join-ticket",
      h.json("POST", {}, { authorization: `Bearer ${token}`, origin: PORTAL }),
    );
    expect(join.status).toBe(201);
    const out = await h.request("/partner/api/v1/sessions/current", {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.status).toBe(204);
  });
});
