import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { classicConfig } from "../testing/harness.js";
import { createVisitHarness, type VisitHarness } from "../testing/visit-harness.js";

let h: VisitHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const portalKeys = await generateKeyPair("ES256", { extractable: true });
const strangerKeys = await generateKeyPair("ES256", { extractable: true });
const publicJwk = await exportJWK(portalKeys.publicKey);

/** The classic config with the portal backend's public visitor key. */
async function config(): Promise<string> {
  const yaml = await classicConfig();
  return yaml.replace(
    "    userDirectories: [PORTAL]\n",
    `    userDirectories: [PORTAL]\n    visitorKey: ${JSON.stringify(publicJwk)}\n`,
  );
}

const NOW_S = Math.floor(Date.parse("2026-03-02T09:00:00Z") / 1000);

function visitorToken(
  key: CryptoKey,
  options: { iss?: string; iat?: number; exp?: number; alg?: string } = {},
  attributes: Record<string, unknown> = { plan: "gold", region: ["north", "east"] },
) {
  return new SignJWT({ attributes })
    .setProtectedHeader({ alg: options.alg ?? "ES256" })
    .setIssuer(options.iss ?? "portal-backend")
    .setSubject("member-4711")
    .setIssuedAt(options.iat ?? NOW_S - 5)
    .setExpirationTime(options.exp ?? NOW_S + 300)
    .sign(key);
}

describe("visitor attributes on anonymous tickets", () => {
  it("stores attributes signed by a ticket client's visitor key as verified, with the client's name", async () => {
    h = await createVisitHarness(await config());
    const visitor = await visitorToken(portalKeys.privateKey);
    await h.anonymousSession("anon", { ticketBody: { visitor, pageUrl: "http://localhost:5173/members" } });
    await h.anonymousSession("anon", { ticketBody: { visitor } });
    const [start, second] = await h.events();
    expect(start).toMatchObject({
      type: "sessionStart",
      anonymous: true,
      visitor: { sub: "member-4711", plan: "gold", region: ["north", "east"] },
      visitorClient: "portal-backend",
      unverifiedVisitor: null,
      pageUrl: "http://localhost:5173/members",
    });
    // Two sessions of one vouched-for visitor count as one unique visitor.
    expect(second?.visitor).toEqual(start?.visitor);
    const res = await h.request("/admin/api/v1/visits/summary?groupBy=proxy", { headers: h.admin() });
    const body = (await res.json()) as { rows: { key: string; visits: number; uniqueVisitors: number }[] };
    expect(body.rows).toEqual([{ key: "anon", visits: 2, uniqueVisitors: 1, averageSessionMs: null }]);
  });

  it("stores an unsigned hint from the page only as unverified", async () => {
    h = await createVisitHarness(await config());
    await h.anonymousSession("anon", { ticketBody: { visitorHint: { email: "someone@example.com" } } });
    const [start] = await h.events();
    expect(start).toMatchObject({
      visitor: null,
      visitorClient: null,
      unverifiedVisitor: { email: "someone@example.com" },
    });
  });

  it("refuses a forged signature, another client's name, an expired token and an algorithm switch", async () => {
    h = await createVisitHarness(await config());
    const forged = await visitorToken(strangerKeys.privateKey);
    const unknownClient = await visitorToken(portalKeys.privateKey, { iss: "someone-else" });
    const expired = await visitorToken(portalKeys.privateKey, { iat: NOW_S - 600, exp: NOW_S - 60 });
    // HS256 "signed" with the public key's x coordinate: the classic key-confusion forgery.
    const confused = await visitorToken(new TextEncoder().encode(publicJwk.x) as unknown as CryptoKey, {
      alg: "HS256",
    });
    const good = await visitorToken(portalKeys.privateKey);
    const tampered = good.replace(/\.([^.]+)\./, (_m, payload: string) => {
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
      claims.attributes = { plan: "platinum" };
      return `.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.`;
    });
    for (const visitor of [forged, unknownClient, expired, confused, tampered, "not-a-jwt"]) {
      const res = await h.anonymousTicket("anon", { visitor });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("TICKET_INVALID");
    }
    expect(await h.events()).toEqual([]);
  });

  it("refuses a visitor key that is a private key, at load time", async () => {
    const privateJwk = await exportJWK(portalKeys.privateKey);
    const yaml = (await classicConfig()).replace(
      "    userDirectories: [PORTAL]\n",
      `    userDirectories: [PORTAL]\n    visitorKey: ${JSON.stringify(privateJwk)}\n`,
    );
    await expect(createVisitHarness(yaml)).rejects.toThrow(/visitorKey/);
  });

  it("cannot smuggle verified attributes through the hint", async () => {
    h = await createVisitHarness(await config());
    const res = await h.anonymousTicket("anon", {
      visitorHint: { visitor: "x" },
      visitorClient: "portal-backend",
    });
    expect(res.status).toBe(400);
  });
});
