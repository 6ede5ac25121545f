// The file watcher applies only a complete, stable document that keeps a proxy: a real file on disk,
// written the way editors and scripts do it, and the log lines that say why the old config stays.
import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../ops/create-logger.js";
import { BUDGET_CONFIG_YAML } from "../testing/budget-config.js";
import { until } from "../testing/until.js";
import { ConfigStore } from "./config-store.js";

let dir: string;
let file: string;
let store: ConfigStore;
let lines: Array<{ level: number; msg: string; reason?: string }>;
/** Every configuration the store swapped in, as the `/anon` proxy's access mode (or "-" without it). */
let applied: string[];

const anonAccess = (s: ConfigStore["current"]) => s.proxies.get("anon")?.anonymousAccess ?? "-";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WARN = 40;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-config-watch-"));
  file = path.join(dir, "portico.yaml");
  await writeFile(file, BUDGET_CONFIG_YAML);
  lines = [];
  const destination = new Writable({
    write(chunk, _e, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  store = await ConfigStore.open(file, { logger: createLogger({ destination }) });
  applied = [];
  store.onChange((state) => applied.push(anonAccess(state)));
  store.watch();
});
afterEach(async () => {
  store.close();
  await rm(dir, { recursive: true, force: true });
});

const warned = (reason: string) => lines.some((l) => l.level === WARN && l.reason === reason);

describe("the configuration file watcher", () => {
  it("truncate, then a prefix, then the whole document: only the whole document is applied", async () => {
    const next = BUDGET_CONFIG_YAML.replace("anonymousAccess: always", "anonymousAccess: allow");
    await truncate(file, 0);
    await sleep(250);
    // A prefix that validates on its own (the server block only: the default proxy alone).
    await writeFile(file, next.slice(0, next.indexOf("virtualProxies:")));
    await sleep(250);
    expect(anonAccess(store.current)).toBe("always");
    await writeFile(file, next);
    await until(() => anonAccess(store.current) === "allow", "the complete document to apply");
    expect(applied).toEqual(["allow"]);
  });

  it("keeps the running configuration when the file is emptied, and says why", async () => {
    const before = store.current;
    await writeFile(file, "");
    await until(() => warned("the file is empty"), "the warning about the empty file");
    expect(store.current).toBe(before);
    expect(applied).toEqual([]);
    // Still watching: a following complete edit applies.
    await writeFile(file, BUDGET_CONFIG_YAML.replace("anonymousAccess: always", "anonymousAccess: none"));
    await until(() => anonAccess(store.current) === "none", "the next valid edit");
  });

  it("keeps the running configuration when an edit drops every virtual proxy, and says why", async () => {
    const before = store.current;
    const withoutProxies = BUDGET_CONFIG_YAML.replace(/virtualProxies:[\s\S]*?(?=streams:)/, "");
    expect(withoutProxies).not.toContain("prefix");
    await writeFile(file, withoutProxies);
    await until(() => warned("it removes every virtual proxy"), "the warning about the dropped proxies");
    expect(store.current).toBe(before);
    expect(applied).toEqual([]);
  });

  it("still lets an explicit reload and the admin API change what the watcher refuses", async () => {
    store.close();
    await store.replaceSection("virtualProxies", [{ prefix: "" }], "ops");
    expect(anonAccess(store.current)).toBe("-");
    await writeFile(file, "");
    expect(await store.reloadFromFile()).toBe(true);
  });
});
