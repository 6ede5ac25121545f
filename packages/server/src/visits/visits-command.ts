import { once } from "node:events";
import type { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { formatPath } from "../config/format-issues.js";
import { loadConfigFile } from "../config/load-config.js";
import { openStorage } from "../storage/open-storage.js";
import { visitCsvChunks } from "./visit-csv.js";
import { iterateVisits, visitFilterSchema } from "./visit-query.js";

export const VISITS_USAGE = `portico visits export [--from T] [--to T] [--proxy P] [--app A] [--origin O] [--user DIR\\\\id]
                      [--ip IP] [--type T] [--format csv|jsonl] [--config portico.yaml]
  Times are ISO 8601 or epoch milliseconds (from inclusive, to exclusive). Writes to stdout.
`;

/**
 * `portico visits export`: the visit log from the configured storage, streamed to `out` page by page
 * (constant memory, waits for the pipe to drain), as CSV (the admin API's columns) or JSON lines.
 */
export async function visitsCommand(
  args: string[],
  io: { out: Writable; err: (text: string) => void },
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "export") {
    io.err(`portico visits: expected "export"\n\n${VISITS_USAGE}`);
    return 1;
  }
  const text = { type: "string" } as const;
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        config: { type: "string", default: "portico.yaml" },
        format: { type: "string", default: "csv" },
        from: text,
        to: text,
        proxy: text,
        app: text,
        origin: text,
        user: text,
        ip: text,
        type: text,
      },
    }));
  } catch (error) {
    io.err(`portico visits export: ${(error as Error).message}\n\n${VISITS_USAGE}`);
    return 1;
  }
  const { config, format, ...raw } = values;
  if (format !== "csv" && format !== "jsonl") {
    io.err(`portico visits export: --format must be csv or jsonl, got "${format}"\n`);
    return 1;
  }
  const parsed = visitFilterSchema.safeParse(
    Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)),
  );
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      io.err(`portico visits export: --${formatPath(issue.path)} ${issue.message}\n`);
    return 1;
  }
  const state = await loadConfigFile(config as string);
  const storage = await openStorage(state.storageUrl, state.storageSettings);
  try {
    const chunks =
      format === "csv"
        ? visitCsvChunks(storage, parsed.data)
        : jsonLines(iterateVisits(storage, parsed.data));
    for await (const chunk of chunks) if (!io.out.write(chunk)) await once(io.out, "drain");
  } finally {
    await storage.close();
  }
  return 0;
}

async function* jsonLines(records: AsyncIterable<unknown>): AsyncGenerator<string> {
  for await (const record of records) yield `${JSON.stringify(record)}\n`;
}
