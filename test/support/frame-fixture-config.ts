// The real server set up as the frame's fake server (packages/frame/src/testing/contract-server.ts) is:
// the spending fixture's rows and sheets, `/anon` (always) and `/partner` (allow, PORTAL\alice with the
// fake's password) admitting the host origin, and `""` (none). The contract test compares the two on it.

import { csvLine } from "@portico/engine";
import { hashSecret } from "@portico/server";
import { OVERVIEW, SECOND, spendingRows } from "../../packages/frame/src/testing/spending-fixture.js";

/** The fake's password of `alice` (its login form tests type it). */
export const FIXTURE_ALICE_PASSWORD = "correct horse";

/** `files` for `startPortico`: the fixture's rows as the app's CSV source. */
export function fixtureFiles(): Record<string, string> {
  const rows = spendingRows();
  const columns = Object.keys(rows[0] ?? {});
  return {
    "spending.csv": [
      csvLine(columns),
      ...rows.map((row) => csvLine(columns.map((c) => row[c] ?? null))),
    ].join(""),
  };
}

export async function fixtureConfig(
  hostOrigin: string,
  options: { licenses?: string } = {},
): Promise<string> {
  const alice = await hashSecret(FIXTURE_ALICE_PASSWORD);
  const list = JSON.stringify([hostOrigin]);
  return `
server:
  port: 0
storage: sqlite:./data/portico.db
virtualProxies:
  - prefix: ""
    anonymousAccess: none
    hostAllowList: []
  - prefix: anon
    anonymousAccess: always
    hostAllowList: ${list}
  - prefix: partner
    anonymousAccess: allow
    hostAllowList: ${list}
userDirectories:
  - name: PORTAL
    type: local
    users:
      - userId: alice
        name: Alice Example
        passwordHash: "${alice}"
streams:
  - id: budget
    name: City budget
  - id: everyone
    name: Everyone
apps:
  - id: spending
    name: City spending
    description: Where the city's money goes.
    stream: budget
    tables:
      - name: spending
        source: spending.csv
    sheets: ${JSON.stringify([OVERVIEW, SECOND])}
securityRules:
  - name: Stream
    resourceFilter: App*
    actions: [read, exportdata]
    condition: (resource.resourcetype = "App" and resource.stream.HasPrivilege("read")) or (resource.resourcetype = "App.Object" and resource.published = "true" and resource.app.stream.HasPrivilege("read"))
    context: both
  - name: Everyone reads the streams
    resourceFilter: Stream_*
    actions: [read]
    condition: ""
    context: both
${options.licenses ?? ""}`;
}
