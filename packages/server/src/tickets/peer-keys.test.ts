// Several nodes on one storage: a ticket signed by one node verifies on another through the public key the
// first recorded in the shared storage; private keys never leave their node. Real SQLite storages (two
// connections to one file), real ES256 keys and tickets.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { exportJWK, SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PorticoError } from "../errors/portico-error.js";
import { openStorage } from "../storage/open-storage.js";
import type { Storage } from "../storage/storage.js";
import {
  generateSigningKey,
  MemoryKeyRing,
  PEER_MISS_KIDS_MAX,
  PEER_MISS_READ_SPACING_MS,
  PEER_MISS_REFRESH_MS,
  publicKeyRecord,
  RETIRED_KEY_GRACE_MS,
  type SigningKey,
} from "./keys.js";
import { audienceFor, TicketSigner } from "./ticket-signer.js";

let dir: string;
let now: number;
const clock = () => now;
const storages: Storage[] = [];
const rings: MemoryKeyRing[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-peer-keys-"));
  now = Date.UTC(2026, 2, 2, 9);
});
afterEach(async () => {
  for (const ring of rings.splice(0)) ring.stopFollowingPeers();
  for (const storage of storages.splice(0)) await storage.close();
  await rm(dir, { recursive: true, force: true });
});

function save(storage: Storage, key: SigningKey): Promise<void> {
  return storage.keys.save(publicKeyRecord(key));
}

/** A ticket signed by `key` under the header kid `kid` (which may not be `key`'s own). */
function signed(kid: string, key: SigningKey): Promise<string> {
  return new SignJWT({ kind: "anonymous" })
    .setProtectedHeader({ alg: "ES256", kid, typ: "JWT" })
    .setIssuer("portico")
    .setAudience(audienceFor("anon"))
    .setJti(randomUUID())
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + 60)
    .sign(key.privateKey);
}

/** A node: its own key ring (recorded in the shared storage, as `startServer` does) and signer. */
async function node() {
  const storage = await openStorage(`sqlite:${path.join(dir, "shared.db")}`);
  storages.push(storage);
  const ring = new MemoryKeyRing([await generateSigningKey(now)], clock);
  rings.push(ring);
  for (const key of ring.list()) await save(storage, key);
  const signer = new TicketSigner({ keys: ring, clock, uuid: randomUUID });
  return { storage, ring, signer };
}

const anonymous = { proxy: "anon", kind: "anonymous" as const, origin: "http://localhost:5173" };

/** Follows the peers' keys (polling only on misses), counting the storage reads. */
async function followCounting(n: { ring: MemoryKeyRing; storage: Storage }): Promise<{ count: number }> {
  const reads = { count: 0 };
  await n.ring.followPeers(
    {
      list: () => {
        reads.count++;
        return n.storage.keys.list();
      },
    },
    3_600_000,
  );
  return reads;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PorticoError);
  return (error as PorticoError).code;
}

describe("tickets across nodes", () => {
  it("verifies a ticket another node signed, once it follows the shared keys (and not before)", async () => {
    const a = await node();
    const b = await node();
    const ticket = (await a.signer.issue(anonymous)).ticket;
    expect(await refusal(b.signer.verify(ticket, "anon"))).toBe("TICKET_INVALID");
    await b.ring.followPeers(b.storage.keys);
    expect((await b.signer.verify(ticket, "anon")).kind).toBe("anonymous");
    // And the other way round.
    await a.ring.followPeers(a.storage.keys);
    expect((await a.signer.verify((await b.signer.issue(anonymous)).ticket, "anon")).kind).toBe("anonymous");
    expect(
      b.ring
        .jwks()
        .keys.map((k) => k.kid)
        .sort(),
    ).toEqual([a.ring.current().kid, b.ring.current().kid].sort());
  });

  it("learns a key rotated in after its last read when a ticket names it", async () => {
    const a = await node();
    const b = await node();
    await b.ring.followPeers(b.storage.keys, 3_600_000);
    await a.ring.rotate((added) => save(a.storage, added));
    expect((await b.signer.verify((await a.signer.issue(anonymous)).ticket, "anon")).kind).toBe("anonymous");
  });

  it("limits reads per kid, not globally: made-up kids cost bounded reads, a real new kid still gets one", async () => {
    const a = await node();
    const b = await node();
    const reads = await followCounting(b);
    expect(reads.count).toBe(1);
    now += PEER_MISS_REFRESH_MS;
    const forger = await generateSigningKey(now);
    const forged = await Promise.all(Array.from({ length: 20 }, (_, i) => signed(`made-up-${i}`, forger)));
    // Twenty at once: the first kid's read, then one more for those that arrived while it was under way.
    const codes = await Promise.all(forged.map((t) => refusal(b.signer.verify(t, "anon"))));
    expect(codes).toEqual(forged.map(() => "TICKET_INVALID"));
    expect(reads.count).toBe(3);
    // The same kids again within their interval: no read at all.
    for (const t of forged) expect(await refusal(b.signer.verify(t, "anon"))).toBe("TICKET_INVALID");
    expect(reads.count).toBe(3);
    // A peer's rotated key, named for the first time within that interval: its own read, and it verifies.
    await a.ring.rotate((key) => save(a.storage, key));
    expect((await b.signer.verify((await a.signer.issue(anonymous)).ticket, "anon")).kind).toBe("anonymous");
    expect(reads.count).toBe(4);
    // A made-up kid may ask again once its interval has passed.
    now += PEER_MISS_REFRESH_MS;
    expect(await refusal(b.signer.verify(forged[0] as string, "anon"))).toBe("TICKET_INVALID");
    expect(reads.count).toBe(5);
  });

  it("forgets the oldest unknown kids past its bound; kids arriving together share reads", async () => {
    const b = await node();
    const reads = await followCounting(b);
    const forger = await generateSigningKey(now);
    const first = await signed("made-up-first", forger);
    now += PEER_MISS_READ_SPACING_MS;
    await refusal(b.signer.verify(first, "anon"));
    expect(reads.count).toBe(2);
    // Fill the bound with other kids, all at once and within the first kid's interval: they share reads.
    const flood = await Promise.all(
      Array.from({ length: PEER_MISS_KIDS_MAX }, (_, i) => signed(`made-up-${i}`, forger)),
    );
    now += PEER_MISS_READ_SPACING_MS;
    await Promise.all(flood.map((t) => refusal(b.signer.verify(t, "anon"))));
    expect(reads.count).toBeLessThanOrEqual(4);
    const afterFlood = reads.count;
    // Sooner than PEER_MISS_REFRESH_MS, yet the first kid was forgotten: it may ask again.
    now += PEER_MISS_READ_SPACING_MS;
    await refusal(b.signer.verify(first, "anon"));
    expect(reads.count).toBe(afterFlood + 1);
    // The latest kids are still remembered: no read for them.
    await refusal(b.signer.verify(flood[PEER_MISS_KIDS_MAX - 1] as string, "anon"));
    expect(reads.count).toBe(afterFlood + 1);
  });

  it("a kid arriving while a read is under way waits for it, then reads again if that read predates its key", async () => {
    const a = await node();
    const b = await node();
    let release: () => void = () => undefined;
    let slow = false;
    await b.ring.followPeers(
      {
        list: async () => {
          const rows = await b.storage.keys.list();
          if (slow) await new Promise<void>((r) => (release = r));
          return rows;
        },
      },
      3_600_000,
    );
    now += PEER_MISS_REFRESH_MS;
    // A read started by a made-up kid, before the fresh node recorded its key.
    slow = true;
    const forged = refusal(b.signer.verify(await signed("made-up", await generateSigningKey(now)), "anon"));
    await new Promise((r) => setTimeout(r, 20));
    slow = false;
    const fresh = await node();
    // Forty tickets from the fresh node at once, while that read is still under way.
    const tickets = await Promise.all(Array.from({ length: 40 }, () => fresh.signer.issue(anonymous)));
    const verified = Promise.all(tickets.map((t) => b.signer.verify(t.ticket, "anon")));
    release();
    expect(await forged).toBe("TICKET_INVALID");
    expect((await verified).map((c) => c.kind)).toEqual(tickets.map(() => "anonymous"));
    expect(a.ring.current().kid).not.toBe(fresh.ring.current().kid);
  });

  it("passes a storage failure while reading peer keys on (a 503), instead of calling the ticket invalid", async () => {
    const a = await node();
    const b = await node();
    let down = false;
    await b.ring.followPeers(
      {
        list: () =>
          down
            ? Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))
            : b.storage.keys.list(),
      },
      3_600_000,
    );
    await a.ring.rotate((key) => save(a.storage, key));
    down = true;
    const error = await b.signer
      .verify((await a.signer.issue(anonymous)).ticket, "anon")
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(PorticoError);
    expect((error as { code?: string }).code).toBe("ECONNREFUSED");
  });

  it("stops accepting a peer's retired key after the grace period", async () => {
    const a = await node();
    const b = await node();
    const old = (await a.signer.issue(anonymous)).ticket;
    const { added, retired } = await a.ring.rotate();
    await save(a.storage, added);
    await a.storage.keys.retire(retired.kid, retired.retiredAt ?? now);
    await b.ring.followPeers(b.storage.keys);
    expect((await b.signer.verify(old, "anon")).kind).toBe("anonymous");
    now += RETIRED_KEY_GRACE_MS + 1;
    // A fresh ticket with the retired key's kid (the ticket itself would have expired anyway).
    const stale = await signed(retired.kid, retired);
    expect(await refusal(b.signer.verify(stale, "anon"))).toBe("TICKET_INVALID");
  });

  it("never imports a shared record that carries a private key", async () => {
    const a = await node();
    const b = await node();
    const leaked = await generateSigningKey(now);
    await a.storage.keys.save({
      kid: leaked.kid,
      algorithm: "ES256",
      publicJwk: JSON.stringify(await exportJWK(leaked.privateKey)),
      createdAt: now,
      retiredAt: null,
    });
    await b.ring.followPeers(b.storage.keys);
    expect(b.ring.publicKey(leaked.kid)).toBeUndefined();
    expect(b.ring.jwks().keys.some((k) => k.kid === leaked.kid || "d" in k)).toBe(false);
  });
});
