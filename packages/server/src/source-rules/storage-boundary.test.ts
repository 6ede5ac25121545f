import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importSpecifiers, PACKAGES_DIR, sourceFiles, withoutComments } from "../testing/source-files.js";

/** The only folder that may speak SQL: everything else goes through the storage's repositories. */
const STORAGE_DIR = path.join(PACKAGES_DIR, "server", "src", "storage") + path.sep;

/**
 * A storage's query builder reached for: `storage.db`, `this.o.storage.db`, `h.storage?.db`, and through a
 * cast, `(h.storage as KyselyStorage).db`.
 */
const DB_HANDLE = /[sS]torage\??\.db\b|\bas\s+Kysely\w*\s*\)\s*\??\.db\b/;

/** The Kysely implementations: what they add to `Storage` (the query builder) is storage's own. */
const KYSELY_IMPLEMENTATION = /(^|\/)kysely-[\w-]+\.js$/;

/**
 * What a file outside `storage/` does that only storage may: import Kysely or a Kysely implementation of
 * the repositories, touch a storage's `db`.
 */
function storageLeaks(text: string): string[] {
  const leaks = importSpecifiers(text)
    .filter(
      (specifier) =>
        specifier === "kysely" || specifier.startsWith("kysely/") || KYSELY_IMPLEMENTATION.test(specifier),
    )
    .map((specifier) => `imports ${specifier}`);
  const code = withoutComments(text);
  if (/\bimport\(\s*["']kysely["']\s*\)/.test(code)) leaks.push("imports kysely");
  const handle = DB_HANDLE.exec(code);
  if (handle) leaks.push(`uses ${handle[0]}`);
  return leaks;
}

describe("the storage boundary", () => {
  it("spots a Kysely import and a storage's db handle", () => {
    expect(storageLeaks(`import { sql } from "kysely";`)).toEqual(["imports kysely"]);
    expect(storageLeaks(`import type { Kysely } from "kysely";`)).toEqual(["imports kysely"]);
    expect(storageLeaks(`const rows = await h.storage.db.selectFrom("visits");`)).toEqual([
      "uses storage.db",
    ]);
    expect(storageLeaks(`await this.o.storage.db\n  .deleteFrom("visits")`)).toEqual(["uses storage.db"]);
    expect(storageLeaks(`const file = "portico.db"; // storage.db is private`)).toEqual([]);
    expect(storageLeaks(`await (h.storage as KyselyStorage).db.selectFrom("console_sessions")`)).toEqual([
      "uses as KyselyStorage).db",
    ]);
    expect(storageLeaks(`import type { KyselyStorage } from "../storage/kysely-storage.js";`)).toEqual([
      "imports ../storage/kysely-storage.js",
    ]);
    expect(storageLeaks(`import { Storage } from "../storage/storage.js";`)).toEqual([]);
  });

  it("holds: no file outside packages/server/src/storage/ imports Kysely or uses a storage's db", () => {
    const leaks = sourceFiles()
      // This file quotes what it looks for.
      .filter(({ file }) => !file.startsWith(STORAGE_DIR) && file !== fileURLToPath(import.meta.url))
      .flatMap(({ file, text }) =>
        storageLeaks(text).map((leak) => `${path.relative(PACKAGES_DIR, file)}: ${leak}`),
      );
    expect(leaks).toEqual([]);
  });
});
