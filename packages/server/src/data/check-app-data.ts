import { readTableFields } from "@portico/engine";
import type { ConfigState } from "../config/config-state.js";
import type { ConfigIssue } from "../config/format-issues.js";
import { objectFieldIssues } from "./object-issues.js";
import { readSqlFields } from "./sql-source.js";

function connectionOf(state: ConfigState, name: string) {
  const connection = state.config.dataConnections.find((c) => c.name === name);
  if (!connection) throw new Error(`unknown data connection "${name}"`);
  return connection;
}

/**
 * The data half of `portico check`: reads only the header of each table source (cheap, even for the
 * 1,000,000-row table; a query through a connection runs with `limit 0`) and checks every object's fields against them. A source that cannot be read is
 * an issue at `apps[i].tables[j].source` naming the file. The server itself checks against the loaded
 * model instead (`AppDataService`), since it loads the data anyway.
 */
export async function checkAppData(state: ConfigState): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  for (const [a, app] of state.config.apps.entries()) {
    if (app.tables.length === 0) continue;
    const fields = new Set<string>();
    let readable = true;
    for (const [t, table] of app.tables.entries()) {
      try {
        const names =
          typeof table.source === "string"
            ? (
                await readTableFields([{ name: table.name, source: table.source }], {
                  baseDir: state.dataRoot,
                })
              ).get(table.name)
            : await readSqlFields(connectionOf(state, table.source.connection), table.source.query, {
                dataRoot: state.dataRoot,
              });
        for (const name of names ?? []) fields.add(name);
        issues.push(...sortByIssues(table.sortBy, new Set(names), `apps[${a}].tables[${t}].sortBy`));
      } catch (error) {
        readable = false;
        issues.push({ path: `apps[${a}].tables[${t}].source`, message: (error as Error).message });
      }
    }
    if (readable) issues.push(...objectFieldIssues(app, a, fields));
  }
  return issues;
}

/** A `sortBy` naming a field its table does not hold; the types are checked when the data loads. */
function sortByIssues(
  sortBy: Record<string, string> | undefined,
  names: Set<string>,
  path: string,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [text, by] of Object.entries(sortBy ?? {})) {
    if (!names.has(text))
      issues.push({ path: `${path}.${text}`, message: `the table has no field "${text}"` });
    if (!names.has(by))
      issues.push({ path: `${path}.${text}`, message: `the table has no field "${by}" to sort by` });
  }
  return issues;
}
