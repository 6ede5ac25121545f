// Several nodes share one storage: an admin change on one reaches the others (docs/deployment.md, "Several nodes"), through the
// `config_changes` table. Real storages: two connections to one SQLite file, and a real PostgreSQL cluster.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openStorage } from "../storage/open-storage.js";
import type { Storage } from "../storage/storage.js";
import { BUDGET_CONFIG_YAML } from "../testing/budget-config.js";
import { startPostgres, type TestPostgres } from "../testing/postgres.js";
import { until } from "../testing/until.js";
import { ConfigStore } from "./config-store.js";

let dir: string;
const opened: Array<{ store: ConfigStore; storage: Storage }> = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-config-follow-"));
});
afterEach(async () => {
  for (const { store, storage } of opened.splice(0)) {
    store.close();
    await storage.close();
  }
  await rm(dir, { recursive: true, force: true });
});

/** A node: its own YAML file, its own connection to the shared storage. */
async function node(name: string, storageUrl: string, yaml = BUDGET_CONFIG_YAML) {
  const file = path.join(dir, `${name}.yaml`);
  await writeFile(file, yaml);
  const store = await ConfigStore.open(file);
  const storage = await openStorage(storageUrl);
  store.useStorage(storage);
  opened.push({ store, storage });
  return { store, file };
}

const streamNames = (store: ConfigStore) => [...store.current.streams.values()].map((s) => s.name);

function nodeTests(storageUrl: () => string) {
  it("applies another node's admin change, and writes it to this node's file", async () => {
    const a = await node("a", storageUrl());
    const b = await node("b", storageUrl());
    await b.store.followChanges(60_000); // polled by hand below
    await a.store.replaceSection("streams", [{ id: "budget", name: "City budget" }], "ops");
    expect(streamNames(b.store)).toEqual(["Budget"]);
    expect(await b.store.pullChanges()).toBe(1);
    expect(streamNames(b.store)).toEqual(["City budget"]);
    expect(await readFile(b.file, "utf8")).toContain("City budget");
    // Its own change is not applied twice.
    expect(await a.store.followChanges(60_000)).toBeUndefined();
    expect(await a.store.pullChanges()).toBe(0);
  });

  it("converges when two nodes change one section at once: the later change wins on both", async () => {
    const a = await node("a", storageUrl());
    const b = await node("b", storageUrl());
    await a.store.followChanges(60_000);
    await b.store.followChanges(60_000);
    await a.store.replaceSection("streams", [{ id: "budget", name: "From A" }], "ops");
    await b.store.replaceSection("streams", [{ id: "budget", name: "From B" }], "ops");
    await a.store.pullChanges();
    await b.store.pullChanges();
    expect(streamNames(a.store)).toEqual(["From B"]);
    expect(streamNames(b.store)).toEqual(["From B"]);
  });

  it("a node that never followed takes its file as its truth: earlier changes are history", async () => {
    const a = await node("a", storageUrl());
    await a.store.replaceSection("streams", [{ id: "budget", name: "Old change" }], "ops");
    const late = await node("late", storageUrl());
    await late.store.followChanges(60_000);
    expect(await late.store.pullChanges()).toBe(0);
    expect(streamNames(late.store)).toEqual(["Budget"]);
  });

  it("a node that was down during changes catches up when it starts again, from the last change it applied", async () => {
    const a = await node("a", storageUrl());
    const b = await node("b", storageUrl());
    await b.store.followChanges(60_000);
    await a.store.replaceSection("streams", [{ id: "budget", name: "Seen by b" }], "ops");
    expect(await b.store.pullChanges()).toBe(1);
    b.store.close();
    await a.store.replaceSection("streams", [{ id: "budget", name: "Missed by b" }], "ops");
    await a.store.replaceSection("visits", { ip: "truncate" }, "ops");
    // b starts again from its file, which knows the change it applied last.
    const again = await ConfigStore.open(b.file);
    const storage = await openStorage(storageUrl());
    again.useStorage(storage);
    opened.push({ store: again, storage });
    expect(again.current.config.visits?.ip).not.toBe("truncate");
    await again.followChanges(60_000);
    expect(again.current.config.visits?.ip).toBe("truncate");
    expect(streamNames(again)).toEqual(["Missed by b"]);
  });

  it("a node that records a change before pulling an earlier one of another node still gets that one after a restart", async () => {
    const a = await node("a", storageUrl());
    const b = await node("b", storageUrl());
    await a.store.followChanges(60_000);
    await b.store.replaceSection("streams", [{ id: "budget", name: "From B" }], "ops");
    // A changes another section before its poll brings B's change, then stops.
    await a.store.replaceSection("visits", { ip: "truncate" }, "ops");
    a.store.close();
    const again = await ConfigStore.open(a.file);
    const storage = await openStorage(storageUrl());
    again.useStorage(storage);
    opened.push({ store: again, storage });
    await again.followChanges(60_000);
    expect(streamNames(again)).toEqual(["From B"]);
    expect(again.current.config.visits?.ip).toBe("truncate");
  });

  it("a change the database refuses is applied nowhere: not in force, not in the file", async () => {
    const a = await node("a", storageUrl());
    const before = await readFile(a.file, "utf8");
    const storage = opened.at(-1)!.storage;
    const refusing = {
      ...storage,
      configChanges: {
        ...storage.configChanges,
        record: async () => {
          throw Object.assign(new Error("Connection terminated unexpectedly"), {});
        },
      },
    };
    a.store.useStorage(refusing as Storage);
    await expect(a.store.replaceSection("streams", [{ id: "budget", name: "Lost" }], "ops")).rejects.toThrow(
      "Connection terminated",
    );
    expect(streamNames(a.store)).toEqual(["Budget"]);
    expect(await readFile(a.file, "utf8")).toBe(before);
    a.store.useStorage(storage);
  });

  it("skips a change that does not validate on this node, keeps its configuration, and takes the next", async () => {
    const a = await node("a", storageUrl(), `${BUDGET_CONFIG_YAML}  - id: extra\n    name: Extra\n`);
    const b = await node("b", storageUrl());
    await b.store.followChanges(60_000);
    // Valid on A, which has the stream `extra`; B has no such stream.
    await a.store.replaceSection("apps", [{ id: "x", name: "X", stream: "extra" }], "ops");
    await a.store.replaceSection("visits", { ip: "truncate" }, "ops");
    expect(await b.store.pullChanges()).toBe(1);
    expect(b.store.current.apps.size).toBe(0);
    expect(b.store.current.config.visits?.ip).toBe("truncate");
  });

  it("follows on its own, within a poll", async () => {
    const a = await node("a", storageUrl());
    const b = await node("b", storageUrl());
    await b.store.followChanges(50);
    await a.store.replaceSection("streams", [{ id: "budget", name: "Polled" }], "ops");
    await until(() => streamNames(b.store)[0] === "Polled", "the change to reach node b");
    b.store.close();
    await a.store.replaceSection("streams", [{ id: "budget", name: "After close" }], "ops");
    await new Promise((r) => setTimeout(r, 200));
    expect(streamNames(b.store)).toEqual(["Polled"]);
  });
}

describe("config changes across nodes, SQLite (two connections to one file)", () => {
  nodeTests(() => `sqlite:${path.join(dir, "shared.db")}`);
});

describe("config changes across nodes, PostgreSQL", () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 120_000);
  afterAll(async () => pg?.stop());
  // Each test starts from an empty change log in its own database schema state: the table only grows, and
  // every test follows from "now", so earlier tests' changes are history to it.
  nodeTests(() => pg.url);
});
