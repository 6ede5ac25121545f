import { chmod, mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { TICKET_TTL_MS } from "./ticket-ttl.js";

export const TICKET_ALGORITHM = "ES256";
/** Retired public keys stay published this long after retirement: every ticket they signed has expired by then. */
export const RETIRED_KEY_GRACE_MS = TICKET_TTL_MS + 60_000;

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
  createdAt: number;
  retiredAt: number | null;
}

/** How often one unknown kid may trigger a fresh read of the other nodes' public keys. */
export const PEER_MISS_REFRESH_MS = 1_000;
/**
 * Reads triggered by unknown kids start at least this far apart, whichever kids they are for: a flood of
 * made-up kids costs at most one read per interval, and a real kid in that flood waits for the next read
 * instead of being refused.
 */
export const PEER_MISS_READ_SPACING_MS = 100;
/** How many unknown kids are remembered for `PEER_MISS_REFRESH_MS`; the oldest is forgotten first. */
export const PEER_MISS_KIDS_MAX = 1_024;

/** Where other nodes' public keys are read from (the shared storage's signing keys repository). */
export interface PeerKeySource {
  list(): Promise<Array<{ kid: string; algorithm: string; publicJwk: string; retiredAt: number | null }>>;
}

interface PeerKey {
  kid: string;
  publicKey: CryptoKey;
  publicJwk: JWK;
  retiredAt: number | null;
}

/** What the ticket signer needs: the key to sign with, and public keys by `kid` to verify with. */
export interface KeyRing {
  current(): SigningKey;
  /** The public key for `kid`, or undefined when unknown or retired past its grace period. */
  publicKey(kid: string): CryptoKey | undefined;
  /** Like `publicKey`, and may look further (other nodes' keys in the shared storage) for a kid it lacks. */
  resolvePublicKey?(kid: string): Promise<CryptoKey | undefined>;
  /** `/.well-known/jwks.json` */
  jwks(): { keys: JWK[] };
}

/**
 * Signing keys in memory. `rotate()` makes a new key current and keeps the old public key valid for
 * `RETIRED_KEY_GRACE_MS`, so tickets issued just before a rotation still redeem.
 */
export class MemoryKeyRing implements KeyRing {
  protected keys: SigningKey[];
  protected readonly clock: () => number;
  /** Other nodes' public keys, by kid (see `followPeers`). */
  private readonly peers = new Map<string, PeerKey>();
  private peerSource: PeerKeySource | undefined;
  private peerTimer: NodeJS.Timeout | undefined;
  private peersReadAt = Number.NEGATIVE_INFINITY;
  private peerRead: Promise<void> | undefined;
  /** A read asked for by an unknown kid, waiting for `PEER_MISS_READ_SPACING_MS` to start. */
  private spacedRead: Promise<void> | undefined;
  /** Unknown kids, by when they last asked for a read (oldest first). */
  private readonly misses = new Map<string, number>();

  constructor(keys: SigningKey[], clock: () => number) {
    if (!keys.some((k) => k.retiredAt === null)) throw new TypeError("a key ring needs one active key");
    this.keys = keys;
    this.clock = clock;
  }

  current(): SigningKey {
    const active = this.keys.filter((k) => k.retiredAt === null);
    return active[active.length - 1] as SigningKey;
  }

  publicKey(kid: string): CryptoKey | undefined {
    const key = this.keys.find((k) => k.kid === kid) ?? this.peers.get(kid);
    if (!key || !this.isPublished(key)) return undefined;
    return key.publicKey;
  }

  /**
   * A kid this ring does not know may belong to a node that started (or rotated its key) since the last
   * read of the shared storage. A node records a key before it signs with it, so a read that starts after
   * the ticket arrived finds it: a read already under way may predate the key, so the kid waits for it and,
   * still unknown, for a read of its own. Each kid asks for at most one read per `PEER_MISS_REFRESH_MS`, and
   * reads start `PEER_MISS_READ_SPACING_MS` apart, so made-up kids cost a bounded number of queries.
   */
  async resolvePublicKey(kid: string): Promise<CryptoKey | undefined> {
    const known = this.publicKey(kid);
    if (known || !this.peerSource || this.peers.has(kid)) return known;
    if (this.peerRead) {
      await this.peerRead.catch(() => undefined);
      if (this.publicKey(kid) || this.peers.has(kid)) return this.publicKey(kid);
    }
    // Any read pending now starts after this ticket arrived: joining it costs nothing.
    const pending = this.spacedRead ?? this.peerRead;
    const now = this.clock();
    if (!pending) {
      const lastMiss = this.misses.get(kid);
      if (lastMiss !== undefined && now - lastMiss < PEER_MISS_REFRESH_MS) return undefined;
    }
    this.misses.delete(kid);
    this.misses.set(kid, now);
    if (this.misses.size > PEER_MISS_KIDS_MAX) this.misses.delete(this.misses.keys().next().value as string);
    await (pending ?? this.readPeersSpaced(now));
    return this.publicKey(kid);
  }

  private readPeersSpaced(now: number): Promise<void> {
    const wait = this.peersReadAt + PEER_MISS_READ_SPACING_MS - now;
    if (wait <= 0) return this.readPeers();
    this.spacedRead = new Promise<void>((resolve) => setTimeout(resolve, wait)).then(() => {
      this.spacedRead = undefined;
      return this.readPeers();
    });
    return this.spacedRead;
  }

  jwks(): { keys: JWK[] } {
    return {
      keys: [...this.keys, ...this.peers.values()]
        .filter((k) => this.isPublished(k))
        .map((k) => ({ ...k.publicJwk, kid: k.kid, alg: TICKET_ALGORITHM, use: "sig" })),
    };
  }

  /**
   * Verifies tickets signed by the other nodes on the same storage: their public keys (each node records
   * its own at start and on rotation) are read now, every `refreshMs`, and when an unknown kid arrives.
   * Private keys never leave their node; only public keys are shared.
   */
  async followPeers(source: PeerKeySource, refreshMs = 30_000): Promise<void> {
    this.peerSource = source;
    await this.readPeers();
    clearInterval(this.peerTimer);
    this.peerTimer = setInterval(() => void this.readPeers().catch(() => undefined), refreshMs).unref();
  }

  stopFollowingPeers(): void {
    clearInterval(this.peerTimer);
    this.peerTimer = undefined;
  }

  private readPeers(): Promise<void> {
    this.peerRead ??= (async () => {
      try {
        const source = this.peerSource;
        if (!source) return;
        this.peersReadAt = this.clock();
        for (const record of await source.list()) {
          if (record.algorithm !== TICKET_ALGORITHM || this.keys.some((k) => k.kid === record.kid)) continue;
          const known = this.peers.get(record.kid);
          if (known) {
            known.retiredAt = record.retiredAt;
            continue;
          }
          const publicJwk = JSON.parse(record.publicJwk) as JWK;
          // A public key only: a record carrying a private part is refused rather than imported.
          if (publicJwk.d !== undefined) continue;
          const publicKey = (await importJWK(publicJwk, TICKET_ALGORITHM)) as CryptoKey;
          this.peers.set(record.kid, { kid: record.kid, publicKey, publicJwk, retiredAt: record.retiredAt });
        }
      } finally {
        this.peerRead = undefined;
      }
    })();
    return this.peerRead;
  }

  /**
   * Generates a new current key; returns it and the retired one. `publish` (recording the public key in the
   * shared storage) runs before the key signs anything, so no other node meets its kid before it can read it.
   */
  async rotate(
    publish?: (added: SigningKey) => Promise<void>,
  ): Promise<{ added: SigningKey; retired: SigningKey }> {
    const retired = this.current();
    const added = await generateSigningKey(this.clock());
    await publish?.(added);
    retired.retiredAt = this.clock();
    this.keys.push(added);
    return { added, retired };
  }

  list(): readonly SigningKey[] {
    return this.keys;
  }

  private isPublished(key: { retiredAt: number | null }): boolean {
    return key.retiredAt === null || this.clock() < key.retiredAt + RETIRED_KEY_GRACE_MS;
  }
}

/** What the shared storage keeps of a key: the public half only, for the other nodes to verify with. */
export function publicKeyRecord(key: SigningKey) {
  return {
    kid: key.kid,
    algorithm: TICKET_ALGORITHM,
    publicJwk: JSON.stringify(key.publicJwk),
    createdAt: key.createdAt,
    retiredAt: key.retiredAt,
  };
}

export async function generateSigningKey(
  now: number,
  kid: string = `k${now.toString(36)}${crypto.randomUUID().slice(0, 8)}`,
): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(TICKET_ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return { kid, privateKey, publicKey, publicJwk, createdAt: now, retiredAt: null };
}

interface KeyFile {
  kid: string;
  createdAt: number;
  retiredAt: number | null;
  privateJwk: JWK;
}

/**
 * Keys kept as JSON files (`<kid>.jwk.json`, mode 0600) in a directory under the data dir. The first start
 * generates one; `rotate()` writes the new key and rewrites the retired one's file.
 */
export class FileKeyRing extends MemoryKeyRing {
  private readonly dir: string;

  private constructor(keys: SigningKey[], clock: () => number, dir: string) {
    super(keys, clock);
    this.dir = dir;
  }

  static async open(dir: string, clock: () => number): Promise<FileKeyRing> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const keys: SigningKey[] = [];
    for (const name of (await readdir(dir)).filter((n) => n.endsWith(".jwk.json")).sort()) {
      const file = JSON.parse(await readFile(path.join(dir, name), "utf8")) as KeyFile;
      const privateKey = (await importJWK(file.privateJwk, TICKET_ALGORITHM, {
        extractable: true,
      })) as CryptoKey;
      const { d: _d, ...publicJwk } = file.privateJwk;
      const publicKey = (await importJWK(publicJwk, TICKET_ALGORITHM)) as CryptoKey;
      keys.push({
        kid: file.kid,
        privateKey,
        publicKey,
        publicJwk,
        createdAt: file.createdAt,
        retiredAt: file.retiredAt,
      });
    }
    keys.sort((a, b) => a.createdAt - b.createdAt);
    const ring = keys.some((k) => k.retiredAt === null) ? new FileKeyRing(keys, clock, dir) : undefined;
    if (ring) return ring;
    const first = await generateSigningKey(clock());
    await writeKeyFile(dir, first);
    return new FileKeyRing([...keys, first], clock, dir);
  }

  override async rotate(
    publish?: (added: SigningKey) => Promise<void>,
  ): Promise<{ added: SigningKey; retired: SigningKey }> {
    const result = await super.rotate(publish);
    await writeKeyFile(this.dir, result.added);
    await writeKeyFile(this.dir, result.retired);
    return result;
  }
}

async function writeKeyFile(dir: string, key: SigningKey): Promise<void> {
  const file: KeyFile = {
    kid: key.kid,
    createdAt: key.createdAt,
    retiredAt: key.retiredAt,
    privateJwk: await exportJWK(key.privateKey),
  };
  const target = path.join(dir, `${key.kid}.jwk.json`);
  const temp = `${target}.${process.pid}.tmp`;
  // 0600: the private key must not be readable by other local users.
  await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, target);
}
