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
    const { added } = await a.ring.rotate();
    await save(a.storage, added);
    now += PEER_MISS_REFRESH_MS;
    expect((await b.signer.verify((await a.signer.issue(anonymous)).ticket, "anon")).kind).toBe("anonymous");
  });

  it("reads the storage at most once per interval for unknown kids, however many arrive", async () => {
    const a = await node();
    const b = await node();
    let reads = 0;
    await b.ring.followPeers(
      {
        list: () => {
          reads++;
          return b.storage.keys.list();
        },
      },
      3_600_000,
    );
    expect(reads).toBe(1);
    now += PEER_MISS_REFRESH_MS;
    const forger = await generateSigningKey(now);
    for (let i = 0; i < 20; i++) {
      const forged = await signed(`made-up-${i}`, forger);
      expect(await refusal(b.signer.verify(forged, "anon"))).toBe("TICKET_INVALID");
    }
    expect(reads).toBe(2);
    // A real peer's ticket still verifies (its key was read at the start).
    expect((await b.signer.verify((await a.signer.issue(anonymous)).ticket, "anon")).kind).toBe("anonymous");
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
