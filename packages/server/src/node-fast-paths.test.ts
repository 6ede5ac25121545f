import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createLogger } from "./ops/create-logger.js";
import { classicConfig } from "./testing/harness.js";

// What `startServer` hands the storage and the app: the one fast-path switch must reach both.
const seen = vi.hoisted(() => ({ storage: [] as unknown[], app: [] as unknown[] }));
vi.mock("./storage/open-storage.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./storage/open-storage.js")>();
  return {
    ...actual,
    openStorage: (url: string, options: { fastPaths?: boolean }) => {
      seen.storage.push(options.fastPaths);
      return actual.openStorage(url, options);
    },
  };
});
vi.mock("./app.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./app.js")>();
  return {
    ...actual,
    createApp: (deps: Parameters<typeof actual.createApp>[0]) => {
      seen.app.push(deps.fastPaths);
      return actual.createApp(deps);
    },
  };
});

const { startServer } = await import("./node.js");

let dir: string;
const quiet = () => createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });
const saved = process.env.PORTICO_FAST_PATHS;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-fast-paths-"));
  await writeFile(path.join(dir, "portico.yaml"), await classicConfig());
});
afterEach(() => {
  seen.storage.length = 0;
  seen.app.length = 0;
  if (saved === undefined) delete process.env.PORTICO_FAST_PATHS;
  else process.env.PORTICO_FAST_PATHS = saved;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function startAndStop(options: { fastPaths?: boolean } = {}): Promise<void> {
  const server = await startServer({
    configPath: path.join(dir, "portico.yaml"),
    port: 0,
    logger: quiet(),
    watch: false,
    followConfigChangesMs: 0,
    frameDir: path.join(dir, "no-frame"),
    ...options,
  });
  await server.close();
}

describe("startServer's fast-path switch", () => {
  it("is on by default, for the storage and the app alike", async () => {
    delete process.env.PORTICO_FAST_PATHS;
    await startAndStop();
    expect(seen).toEqual({ storage: [true], app: [true] });
  });

  it("PORTICO_FAST_PATHS=0 turns both off", async () => {
    process.env.PORTICO_FAST_PATHS = "0";
    await startAndStop();
    expect(seen).toEqual({ storage: [false], app: [false] });
  });

  it("the option wins over the environment", async () => {
    process.env.PORTICO_FAST_PATHS = "0";
    await startAndStop({ fastPaths: true });
    expect(seen).toEqual({ storage: [true], app: [true] });
  });
});
