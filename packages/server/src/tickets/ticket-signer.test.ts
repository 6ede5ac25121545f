import { randomUUID } from "node:crypto";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { PorticoError } from "../errors/portico-error.js";
import { generateSigningKey, MemoryKeyRing, RETIRED_KEY_GRACE_MS } from "./keys.js";
import { audienceFor, TICKET_TTL_MS, TicketSigner } from "./ticket-signer.js";

let now = Date.parse("2026-03-02T09:00:00Z");
const clock = () => now;
let keys: MemoryKeyRing;
let signer: TicketSigner;

beforeAll(async () => {
  keys = new MemoryKeyRing([await generateSigningKey(now, "k1")], clock);
  signer = new TicketSigner({ keys, clock, uuid: randomUUID });
});

async function refusal(ticket: string, proxy = "anon"): Promise<{ code: string; reason: unknown }> {
  try {
    await signer.verify(ticket, proxy);
  } catch (error) {
    expect(error).toBeInstanceOf(PorticoError);
    const e = error as PorticoError;
    return { code: e.code, reason: (e.details as { reason?: unknown } | undefined)?.reason };
  }
  throw new Error("the ticket was accepted");
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function claims(overrides: Record<string, unknown> = {}) {
  const iat = Math.floor(now / 1000);
  return {
    iss: "portico",
    aud: audienceFor("anon"),
    jti: randomUUID(),
    iat,
    exp: iat + 60,
    kind: "anonymous",
    origin: "http://localhost:5173",
    ...overrides,
  };
}

describe("TicketSigner", () => {
  it("issues ES256 tickets with kid, 60 s expiry, jti and the proxy audience, and verifies them", async () => {
    const issued = await signer.issue({ proxy: "anon", kind: "anonymous", origin: "http://localhost:5173" });
    const [header] = issued.ticket.split(".");
    expect(JSON.parse(Buffer.from(header as string, "base64url").toString())).toMatchObject({
      alg: "ES256",
      kid: "k1",
    });
    expect(issued.expiresAt - now).toBe(TICKET_TTL_MS);
    const verified = await signer.verify(issued.ticket, "anon");
    expect(verified).toMatchObject({
      aud: "portico:anon",
      kind: "anonymous",
      origin: "http://localhost:5173",
      jti: issued.jti,
    });
  });

  it("uses a non-empty audience for the default proxy", async () => {
    const issued = await signer.issue({ proxy: "", kind: "user", userDirectory: "PORTAL", userId: "alice" });
    expect((await signer.verify(issued.ticket, "")).aud).toBe("portico:");
  });

  it("refuses a ticket for another proxy (wrong audience)", async () => {
    const issued = await signer.issue({
      proxy: "partner",
      kind: "anonymous",
      origin: "http://localhost:5173",
    });
    expect(await refusal(issued.ticket, "anon")).toEqual({ code: "TICKET_INVALID", reason: "audience" });
    expect(await refusal(issued.ticket, "")).toEqual({ code: "TICKET_INVALID", reason: "audience" });
  });

  it("refuses an expired ticket by the injected clock", async () => {
    const issued = await signer.issue({ proxy: "anon", kind: "anonymous", origin: "http://localhost:5173" });
    now += TICKET_TTL_MS + 1000;
    try {
      expect((await refusal(issued.ticket)).code).toBe("TICKET_EXPIRED");
    } finally {
      now -= TICKET_TTL_MS + 1000;
    }
  });

  it("refuses a validly signed ticket that lives longer than a ticket may, or is issued in the future", async () => {
    const sign = (overrides: Record<string, unknown>) =>
      new SignJWT(claims(overrides))
        .setProtectedHeader({ alg: "ES256", kid: "k1" })
        .sign(keys.current().privateKey);
    const iat = Math.floor(now / 1000);
    const yearLong = await sign({ exp: iat + 365 * 24 * 3600 });
    expect(await refusal(yearLong)).toEqual({ code: "TICKET_INVALID", reason: "lifetime" });
    const ahead = await sign({ iat: iat + 3600, exp: iat + 3660 });
    expect(await refusal(ahead)).toEqual({ code: "TICKET_INVALID", reason: "future" });
    // A peer's clock a few seconds fast is fine.
    await expect(signer.verify(await sign({ iat: iat + 5, exp: iat + 65 }), "anon")).resolves.toBeDefined();
  });

  it("refuses alg: none", async () => {
    const forged = `${b64({ alg: "none", typ: "JWT", kid: "k1" })}.${b64(claims())}.`;
    expect((await refusal(forged)).code).toBe("TICKET_INVALID");
  });

  it("refuses HS256 signed with the public key as the HMAC secret", async () => {
    const publicPem = await exportSPKI(keys.current().publicKey);
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: "HS256", kid: "k1" })
      .sign(new TextEncoder().encode(publicPem));
    expect(await refusal(forged)).toEqual({ code: "TICKET_INVALID", reason: "ERR_JOSE_ALG_NOT_ALLOWED" });
  });

  it("refuses a ticket signed by another ES256 key, under our kid or another", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const sameKid = await new SignJWT(claims())
      .setProtectedHeader({ alg: "ES256", kid: "k1" })
      .sign(privateKey);
    expect(await refusal(sameKid)).toEqual({
      code: "TICKET_INVALID",
      reason: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
    });
    const otherKid = await new SignJWT(claims())
      .setProtectedHeader({ alg: "ES256", kid: "attacker" })
      .sign(privateKey);
    expect((await refusal(otherKid)).code).toBe("TICKET_INVALID");
  });

  it("refuses a tampered payload and garbage", async () => {
    const issued = await signer.issue({ proxy: "anon", kind: "anonymous", origin: "http://localhost:5173" });
    const [h, , s] = issued.ticket.split(".");
    const tampered = `${h}.${b64(claims({ origin: "https://evil.example" }))}.${s}`;
    expect((await refusal(tampered)).code).toBe("TICKET_INVALID");
    expect((await refusal("not-a-jwt")).code).toBe("TICKET_INVALID");
  });

  it("rotation keeps the old public key until its tickets have expired, then drops it", async () => {
    const ring = new MemoryKeyRing([await generateSigningKey(now, "old")], clock);
    const rotating = new TicketSigner({ keys: ring, clock, uuid: randomUUID });
    const before = await rotating.issue({
      proxy: "anon",
      kind: "anonymous",
      origin: "http://localhost:5173",
    });
    await ring.rotate();
    expect(ring.current().kid).not.toBe("old");
    expect(ring.jwks().keys.map((k) => k.kid)).toContain("old");
    await expect(rotating.verify(before.ticket, "anon")).resolves.toMatchObject({ jti: before.jti });
    const after = await rotating.issue({ proxy: "anon", kind: "anonymous", origin: "http://localhost:5173" });
    expect(JSON.parse(Buffer.from(after.ticket.split(".")[0] as string, "base64url").toString()).kid).toBe(
      ring.current().kid,
    );
    now += RETIRED_KEY_GRACE_MS;
    try {
      expect(ring.jwks().keys.map((k) => k.kid)).not.toContain("old");
      expect(ring.publicKey("old")).toBeUndefined();
    } finally {
      now -= RETIRED_KEY_GRACE_MS;
    }
  });

  it("publishes only public key material in the JWKS", () => {
    for (const key of keys.jwks().keys) {
      expect(key).not.toHaveProperty("d");
      expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    }
  });
});
