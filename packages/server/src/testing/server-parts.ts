// Test support (excluded from the build): what every in-process test server is made of. The unit-test
// harness (./harness.ts) and the end-to-end server (test/support/portico-server.ts) both start from these
// parts and differ only in what they add: their clock, app data, a socket.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import type { Logger } from "pino";
import { ConfigStore } from "../config/config-store.js";
import { createLogger } from "../ops/create-logger.js";
import { openSqliteStorage } from "../storage/sqlite-storage.js";
import type { Storage } from "../storage/storage.js";
import { generateSigningKey, MemoryKeyRing } from "../tickets/keys.js";
import { withVisitorAnalytics } from "../visits/visitor-analytics.js";
import { FAST_PATHS } from "./fast-paths.js";

export interface ServerPartsOptions {
  /** The server's time; the signing key is generated at its current value. */
  clock: () => number;
  /** pino level of the captured log. */
  logLevel: string;
  /** Files written next to portico.yaml before the config is read (e.g. the CSV sources of apps). */
  files?: Record<string, string>;
  /** Prefix of the temp dir's name, to tell the suites' leftovers apart. */
  tempPrefix: string;
}

export interface ServerParts {
  /** The fresh temp dir holding portico.yaml, its files and the SQLite database. */
  dir: string;
  configPath: string;
  logger: Logger;
  /** Every log line (pino JSON), for assertions and for diagnosing a failure. */
  logLines: string[];
  configStore: ConfigStore;
  storage: Storage;
  keys: MemoryKeyRing;
  /** Closes the config store and the storage, and removes the temp dir. */
  close(): Promise<void>;
}

/**
 * Writes `yaml` (as portico.yaml) and `files` into a fresh temp dir, opens the config store over it with
 * the SQLite storage it names (relative to that dir), and makes one signing key.
 */
export async function openServerParts(yaml: string, options: ServerPartsOptions): Promise<ServerParts> {
  const dir = await mkdtemp(path.join(tmpdir(), options.tempPrefix));
  const configPath = path.join(dir, "portico.yaml");
  await writeFile(configPath, yaml);
  for (const [name, content] of Object.entries(options.files ?? {}))
    await writeFile(path.join(dir, name), content);
  const logLines: string[] = [];
  const logger = createLogger({
    level: options.logLevel,
    destination: new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  });
  const configStore = await ConfigStore.open(configPath, {
    logger,
    clock: options.clock,
    extensions: [withVisitorAnalytics],
  });
  const storage = await openSqliteStorage(configStore.current.storageUrl.slice("sqlite:".length), {
    fastPaths: FAST_PATHS,
  });
  configStore.useStorage(storage);
  const keys = new MemoryKeyRing([await generateSigningKey(options.clock())], options.clock);
  return {
    dir,
    configPath,
    logger,
    logLines,
    configStore,
    storage,
    keys,
    async close() {
      configStore.close();
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
