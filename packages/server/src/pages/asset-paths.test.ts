import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../testing/harness.js";
import { directoryFiles } from "./page-routes.js";

const FRAME_HTML = "<!doctype html><html><head></head><body>frame</body></html>";

describe("asset paths never reach the frame pages", () => {
  let h: Harness;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "portico-assets-"));
    await mkdir(path.join(root, "assets"));
    await writeFile(path.join(root, "embed.html"), FRAME_HTML);
    await writeFile(path.join(root, "hub.html"), FRAME_HTML);
    await writeFile(path.join(root, "assets", "define-BuywzVIj.js"), "export {};");
    h = await createHarness(undefined, { frameFiles: directoryFiles(root) });
  });
  afterAll(async () => {
    await h.close();
    await rm(root, { recursive: true, force: true });
  });

  const escapes = [
    "..%2fembed.html",
    "..%2Fembed.html",
    "..%5cembed.html",
    "..%5Cembed.html",
    "..%252fembed.html",
    "..%255Cembed.html",
    "%2e%2e%2fembed.html",
    "x%2f..%2f..%2fembed.html",
    "..%2f..%2fassets%2f..%2fhub.html",
  ];

  it.each(escapes)("/assets/%s answers 404, at the root and under a proxy", async (tail) => {
    for (const base of ["/assets/", "/anon/assets/"]) {
      const res = await h.request(`${base}${tail}`);
      expect(res.status, `${base}${tail}`).toBe(404);
      expect(await res.text()).not.toContain("frame");
    }
  });

  it("still serves the assets, and the frame HTML only through the page routes with their CSP", async () => {
    const asset = await h.request("/anon/assets/define-BuywzVIj.js");
    expect(asset.status).toBe(200);
    expect(await asset.text()).toBe("export {};");

    const page = await h.request("/anon/embed");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors");
  });
});
