import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PorticoEmbed } from "./portico-embed.js";

interface Manifest {
  modules: {
    declarations: {
      tagName?: string;
      attributes?: { name: string; fieldName: string }[];
      events?: { name: string }[];
    }[];
  }[];
}

const manifest = JSON.parse(
  readFileSync(new URL("../custom-elements.json", import.meta.url), "utf8"),
) as Manifest;
const declaration = manifest.modules
  .flatMap((m) => m.declarations)
  .find((d) => d.tagName === "portico-embed");

describe("custom-elements.json", () => {
  it("declares every attribute the element observes, with its property name", () => {
    const properties = PorticoEmbed.properties as Record<
      string,
      { attribute?: string | boolean; state?: boolean }
    >;
    const expected = Object.entries(properties)
      .filter(([, options]) => !options.state)
      .map(([field, options]) => ({
        name: typeof options.attribute === "string" ? options.attribute : field,
        fieldName: field,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const declared = (declaration?.attributes ?? [])
      .map(({ name, fieldName }) => ({ name, fieldName }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(declared).toEqual(expected);
  });

  it("declares the eight portico-* events", () => {
    expect(declaration?.events?.map((e) => e.name).sort()).toEqual([
      "portico-error",
      "portico-ready",
      "portico-rendered",
      "portico-selections-changed",
      "portico-session-changed",
      "portico-session-expired",
      "portico-session-expiring",
      "portico-session-recovered",
    ]);
  });
});
