import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BUDGET_CONFIG_YAML } from "../testing/budget-config.js";
import { until } from "../testing/until.js";
import { ConfigStore } from "./config-store.js";

let dir: string;
let file: string;
const YAML = `# operator comment kept across admin edits
${BUDGET_CONFIG_YAML}`;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-config-"));
  file = path.join(dir, "portico.yaml");
  await writeFile(file, YAML);
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe("ConfigStore", () => {
  it("refuses to open an invalid file", async () => {
    await writeFile(file, "virtualProxies:\n  - prefix: BAD\n");
    await expect(ConfigStore.open(file)).rejects.toThrow(
      "virtualProxies[0].prefix: must be lowercase a-z0-9-._~",
    );
  });

  it("applies file edits live through the watcher, and keeps the old config on an invalid edit", async () => {
    const store = await ConfigStore.open(file);
    store.watch();
    try {
      expect(store.current.proxies.get("anon")?.anonymousAccess).toBe("always");
      await writeFile(file, YAML.replace("anonymousAccess: always", "anonymousAccess: allow"));
      await until(() => store.current.proxies.get("anon")?.anonymousAccess === "allow", "the edit to apply");

      const before = store.current;
      await writeFile(file, YAML.replace("anonymousAccess: always", "anonymousAccess: sometimes"));
      // The invalid edit is read and refused; a following valid edit proves the watcher is still alive.
      await new Promise((r) => setTimeout(r, 400));
      expect(store.current).toBe(before);
      await writeFile(file, YAML.replace("anonymousAccess: always", "anonymousAccess: none"));
      await until(() => store.current.proxies.get("anon")?.anonymousAccess === "none", "the next valid edit");
    } finally {
      store.close();
    }
  });

  it("replaceSection validates first, swaps, writes the YAML atomically and keeps comments", async () => {
    const store = await ConfigStore.open(file);
    const seen: string[] = [];
    store.onChange((state) => seen.push(state.config.streams.map((s) => s.id).join(",")));
    await store.replaceSection(
      "streams",
      [
        { id: "budget", name: "Budget" },
        { id: "sport", name: "Sport" },
      ],
      "test",
    );
    expect(store.current.streams.has("sport")).toBe(true);
    expect(seen).toEqual(["budget,sport"]);
    const text = await readFile(file, "utf8");
    expect(text).toContain("# operator comment kept across admin edits");
    expect(text).toContain("id: sport");

    await expect(store.replaceSection("streams", [{ id: "x y", name: "Bad" }], "test")).rejects.toThrow(
      "streams[0].id",
    );
    expect(store.current.streams.has("sport")).toBe(true);
    expect(await readFile(file, "utf8")).toBe(text);
  });
});
