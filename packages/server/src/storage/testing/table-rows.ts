// Test support (excluded from the build): a table's raw rows, for tests that check what was (or was not)
// stored beyond what the repositories return, such as an address that must appear in no column.
import type { Selectable } from "kysely";
import type { Database } from "../database.js";
import { KyselyStorage } from "../kysely-storage.js";
import type { Storage } from "../storage.js";

export async function tableRows<T extends keyof Database & string>(
  storage: Storage,
  table: T,
): Promise<Selectable<Database[T]>[]> {
  if (!(storage instanceof KyselyStorage)) throw new TypeError("tableRows: not a Kysely storage");
  // The generic table name defeats Kysely's row typing; the result is the table's rows all the same.
  const rows: unknown[] = await storage.db
    .selectFrom(table as "sessions")
    .selectAll()
    .execute();
  return rows as Selectable<Database[T]>[];
}
