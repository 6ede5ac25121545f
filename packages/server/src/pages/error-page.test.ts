import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, PORTAL } from "../testing/harness.js";
import { errorPageHtml, isFramePagePath, pageLanguage } from "./error-page.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

describe("frame page errors", () => {
  it("a frame page of a proxy that does not exist is a page for the visitor, not JSON", async () => {
    const res = await h.request("/libary/embed?app=spending&locale=de-DE");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'");
    const html = await res.text();
    expect(html).toContain("Dieses Dashboard ist gerade nicht verfügbar");
    expect(html).toContain('data-code="PROXY_NOT_FOUND"');
    expect(html).not.toContain('{"error"');
  });

  it("the API of a proxy that does not exist says so in JSON any page can read", async () => {
    const res = await h.request("/libary/api/v1/tickets/anonymous", {
      method: "POST",
      headers: { origin: PORTAL },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get("access-control-allow-origin")).toBe(PORTAL);
    expect(await res.json()).toEqual({
      error: { code: "PROXY_NOT_FOUND", message: 'There is no virtual proxy "libary" on this server' },
    });
  });

  it("reads the page's language and the paths it applies to", () => {
    expect(pageLanguage(undefined, "de-CH,de;q=0.9")).toBe("de");
    expect(pageLanguage("fr-FR", "de")).toBe("en");
    expect(isFramePagePath("/anon/embed")).toBe(true);
    expect(isFramePagePath("/hub")).toBe(true);
    expect(isFramePagePath("/anon/api/v1/embed-config")).toBe(false);
    expect(errorPageHtml("BUSY", 503, { language: "en" })).toContain("Please try again in a few minutes.");
    expect(errorPageHtml("<b>", 404, { language: "en" })).not.toContain("<b>");
  });
});
