// Reference tables of docs/ against what they describe: the one error-code table (docs/sdk.md, "Errors")
// against the catalogue in @portico/protocol and the server's statuses (every code has a row, no row names
// a code the catalogue lacks, the HTTP column is what the server answers; "—": never an HTTP answer), and
// the Visitor analytics app's sheets and objects (docs/visits.md) against the app the server builds.
import { readFileSync } from "node:fs";
import path from "node:path";
import { ErrorCode } from "@portico/protocol";
import { statusForCode } from "@portico/server";
import { describe, expect, it } from "vitest";
import { analyticsApp } from "../packages/server/src/visits/visitor-analytics.js";
import { ROOT } from "./support/build-bundles.js";

const doc = (file: string) => readFileSync(path.join(ROOT, "docs", file), "utf8");

const rows = [...doc("sdk.md").matchAll(/^\| `([A-Z_]+)` +\| ([0-9]{3}|—) +\|/gm)].map(
  ([, code, status]) => ({ code: code as string, status: status as string }),
);

describe("docs/sdk.md error codes", () => {
  it("lists exactly the catalogue's codes, once each", () => {
    expect(rows.map((r) => r.code).sort()).toEqual(Object.keys(ErrorCode).sort());
  });

  it("gives each the status the server answers", () => {
    for (const { code, status } of rows)
      expect(`${code} ${status}`).toBe(`${code} ${status === "—" ? "—" : statusForCode(code as ErrorCode)}`);
    // "—" codes are unmapped (the server would answer 500 INTERNAL were one ever thrown).
    for (const { code } of rows.filter((r) => r.status === "—"))
      expect(`${code} ${statusForCode(code as ErrorCode)}`).toBe(`${code} 500`);
  });
});

describe("docs/visits.md: the Visitor analytics app", () => {
  it("lists every sheet id with its title and object ids", () => {
    const text = doc("visits.md");
    for (const sheet of analyticsApp().sheets) {
      const row = text.split("\n").find((line) => line.startsWith(`| \`${sheet.id}\``));
      expect(row, sheet.id).toBeDefined();
      expect(row).toContain(sheet.title);
      for (const object of sheet.objects) expect(row).toContain(`\`${object.id}\``);
    }
  });
});

describe("docs/deployment.md: the sessions endpoint", () => {
  it("documents listing and ending sessions with the fields the admin API answers", () => {
    const text = doc("deployment.md");
    expect(text).toContain("GET /admin/api/v1/sessions");
    expect(text).toContain("DELETE /admin/api/v1/sessions/{id}");
    for (const field of ["userDirectory", "anonymous", "origin", "lastActiveAt", "endReason"])
      expect(text).toContain(field);
  });
});
