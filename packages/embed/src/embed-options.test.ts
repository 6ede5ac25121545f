import { decodeEmbedParams } from "@portico/protocol";
import { describe, expect, it } from "vitest";
import { resolveClientOptions } from "./client-options.js";
import { EmbedError } from "./embed-error.js";
import { DEFAULT_TITLE, type EmbedOptions, embedUrl, resolveEmbedOptions } from "./embed-options.js";

function errorOf(options: unknown): EmbedError {
  try {
    resolveEmbedOptions(options as EmbedOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(EmbedError);
    return error as EmbedError;
  }
  throw new Error("expected resolveEmbedOptions to throw");
}

describe("resolveEmbedOptions", () => {
  it("defaults to a sheet view, or an object view when an object is given", () => {
    expect(resolveEmbedOptions({ app: "sales", sheet: "overview" })).toMatchObject({
      view: "sheet",
      autoResize: false,
      title: DEFAULT_TITLE,
    });
    expect(resolveEmbedOptions({ app: "sales", object: "kpi1" }).view).toBe("object");
    expect(resolveEmbedOptions({ view: "hub" }).view).toBe("hub");
  });

  it("refuses an app without a sheet for a sheet view, saying what is missing", () => {
    const error = errorOf({ app: "sales" });
    expect(error.code).toBe("MISCONFIGURED");
    expect(error.message).toBe(
      'embed: a sheet view needs "app" and "sheet" (got app "sales" and no sheet); or set view "hub"',
    );
    expect(errorOf({ sheet: "overview" }).message).toContain('got no app and sheet "overview"');
    expect(errorOf({ view: "object", app: "sales", sheet: "s" }).message).toContain("no object");
  });

  it("refuses unknown views, bad selections, themes, locales and options", () => {
    expect(errorOf({ view: "page", app: "a", sheet: "s" }).message).toContain('"view"');
    expect(errorOf({ app: "a", sheet: "s", selections: { Region: "North" } }).message).toContain(
      '"selections"',
    );
    expect(errorOf({ app: "a", sheet: "s", selections: JSON.parse(`{"__proto__":["x"]}`) }).code).toBe(
      "MISCONFIGURED",
    );
    expect(errorOf({ app: "a", sheet: "s", theme: "pink" }).message).toContain('"theme"');
    expect(
      errorOf({ app: "a", sheet: "s", theme: { base: "dark", tokens: { "--portico-bg": "red;}body{x" } } })
        .code,
    ).toBe("MISCONFIGURED");
    expect(errorOf({ app: "a", sheet: "s", locale: "not a locale" }).message).toContain('"locale"');
    expect(errorOf({ app: "a", sheet: "s", opt: ["fullscreen"] }).message).toContain('"opt"');
    expect(errorOf({ app: 5, sheet: "s" }).message).toContain('"app" must be a string');
    expect(errorOf(null).code).toBe("MISCONFIGURED");
  });

  it("accepts a theme with token overrides", () => {
    const theme = { base: "dark" as const, tokens: { "--portico-accent": "#0a7" } };
    expect(resolveEmbedOptions({ app: "a", sheet: "s", theme }).theme).toEqual(theme);
  });
});

describe("embedUrl", () => {
  const client = resolveClientOptions(
    { server: "https://bi.example.com/", proxy: "anon" },
    "https://portal.example.com/",
  );

  it("points at the proxy's embed page with what to show and the page origin", () => {
    const options = resolveEmbedOptions({
      app: "sales",
      sheet: "overview",
      selections: { Region: ["North"], Year: [2024] },
      theme: { base: "dark", tokens: { "--portico-accent": "#0a7" } },
      locale: "de-DE",
    });
    const url = new URL(embedUrl(client, options, "https://portal.example.com"));
    expect(`${url.origin}${url.pathname}`).toBe("https://bi.example.com/anon/embed");
    expect(decodeEmbedParams(url.searchParams)).toEqual({
      app: "sales",
      sheet: "overview",
      view: "sheet",
      theme: "dark",
      locale: "de-DE",
      selections: { Region: ["North"], Year: [2024] },
      origin: "https://portal.example.com",
    });
  });

  it("uses /embed for the default proxy and never carries a ticket", () => {
    const defaultClient = resolveClientOptions(
      { server: "https://bi.example.com" },
      "https://portal.example.com/",
    );
    const url = new URL(
      embedUrl(defaultClient, resolveEmbedOptions({ view: "hub" }), "https://portal.example.com"),
    );
    expect(url.pathname).toBe("/embed");
    expect([...url.searchParams.keys()].sort()).toEqual(["origin", "view"]);
  });
});
