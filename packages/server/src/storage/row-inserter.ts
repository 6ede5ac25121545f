import { CompiledQuery, type Kysely } from "kysely";
import type { Database } from "./database.js";

/** Tables written in batches (the visit log's group commit). */
export type BatchTable = keyof Database & string;
/** One row's values, in the order of the batch's columns. */
export type RowValues = readonly unknown[];

/** Inserts rows into one table in one transaction: every row commits or none does. */
export type RowInserter = (
  table: BatchTable,
  columns: readonly string[],
  rows: readonly RowValues[],
) => Promise<void>;

/** Rows per multi-row INSERT: 26 columns x 300 stays far under PostgreSQL's 65,535 parameters. */
const ROWS_PER_STATEMENT = 300;

/** A row with fewer or more values than columns would shift every value after it: refused, never padded. */
export function checkWidth(row: RowValues, width: number): void {
  if (row.length !== width) throw new TypeError(`insertRows: expected ${width} values, got ${row.length}`);
}

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function insertText(table: BatchTable, columns: readonly string[], rowsText: string): string {
  return `insert into ${quoted(table)} (${columns.map(quoted).join(",")}) values ${rowsText}`;
}

/**
 * Any dialect (PostgreSQL): multi-row INSERTs in a Kysely transaction, written directly rather than
 * through the query builder, whose 26-column AST per row would be most of the writer's CPU. Values are
 * bound parameters, never spliced into the text.
 */
export function kyselyRowInserter(db: Kysely<Database>, kind: "sqlite" | "postgres"): RowInserter {
  return async (table, columns, rows) => {
    if (rows.length === 0) return;
    await db.transaction().execute(async (trx) => {
      for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
        const params: unknown[] = [];
        const tuples: string[] = [];
        for (const row of rows.slice(start, start + ROWS_PER_STATEMENT)) {
          checkWidth(row, columns.length);
          const marks: string[] = [];
          for (let i = 0; i < columns.length; i++) {
            params.push(row[i]);
            marks.push(kind === "postgres" ? `$${params.length}` : "?");
          }
          tuples.push(`(${marks.join(",")})`);
        }
        await trx.executeQuery(CompiledQuery.raw(insertText(table, columns, tuples.join(",")), params));
      }
    });
  };
}
