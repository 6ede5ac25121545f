import { readFile } from "node:fs/promises";
import path from "node:path";
import { ErrorCode } from "@portico/protocol";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { PorticoError } from "../errors/portico-error.js";
import type { ConfigExtension } from "./config-extension.js";
import { type ConfigState, conditionIssues, deriveConfigState } from "./config-state.js";
import { type ConfigIssue, configInvalid, formatPath } from "./format-issues.js";
import { configSchema } from "./schema.js";

/**
 * Validates a configuration object (already parsed from YAML or sent by the admin API) and derives its
 * state (compiled rules, proxies by prefix). Throws `PorticoError(CONFIG_INVALID)` whose message lists
 * every problem with its path, and whose `details.issues` holds them as data. `extensions` add built-in
 * content (see `ConfigExtension`).
 */
export function validateConfig(
  input: unknown,
  configPath: string,
  extensions: readonly ConfigExtension[] = [],
): ConfigState {
  const parsed = configSchema.safeParse(input ?? {});
  if (!parsed.success) {
    // Report rule syntax errors together with shape errors, so one `portico check` shows everything.
    const raw = (input as { securityRules?: unknown; licenses?: { rules?: unknown } } | null) ?? {};
    throw configInvalid([
      ...zodIssues(parsed.error),
      ...conditionIssues(raw.securityRules, raw.licenses?.rules),
    ]);
  }
  return deriveConfigState(parsed.data, configPath, extensions);
}

/** Parses YAML text, then validates it. YAML syntax errors carry line and column. */
export function parseConfigText(
  text: string,
  configPath: string,
  extensions: readonly ConfigExtension[] = [],
): ConfigState {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw configInvalid(
      doc.errors.map((error) => {
        const pos = error.linePos?.[0];
        return {
          path: pos ? `line ${pos.line}, column ${pos.col}` : "(yaml)",
          message: error.message.split("\n")[0] ?? "",
        };
      }),
    );
  }
  return validateConfig(doc.toJS(), configPath, extensions);
}

export async function loadConfigFile(
  configPath: string,
  extensions: readonly ConfigExtension[] = [],
): Promise<ConfigState> {
  const absolute = path.resolve(configPath);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    throw new PorticoError(
      ErrorCode.CONFIG_INVALID,
      `${absolute}: cannot read the configuration (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  return parseConfigText(text, absolute, extensions);
}

function zodIssues(error: z.ZodError): ConfigIssue[] {
  return issuesAt([], error.issues);
}

function issuesAt(prefix: PropertyKey[], issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  return issues.flatMap((issue) => {
    const at = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys")
      return issue.keys.map((key) => ({ path: formatPath([...at, key]), message: "unknown key" }));
    if (issue.code === "invalid_union" && issue.errors.length > 0) return unionIssues(at, issue.errors);
    return [{ path: formatPath(at), message: issue.message }];
  });
}

/**
 * A value that matches no alternative of a union (a dimension is a field name or `{field, sort}`): the
 * problems of the alternative the value was meant for (its type matched, and it got furthest in), at their
 * own path, instead of "Invalid input" at the union's.
 */
function unionIssues(at: PropertyKey[], branches: readonly z.core.$ZodIssue[][]): ConfigIssue[] {
  const wrongType = (branch: readonly z.core.$ZodIssue[]) =>
    branch.every((i) => i.code === "invalid_type" && i.path.length === 0);
  const meant = branches.filter((branch) => !wrongType(branch));
  if (meant.length === 0) {
    const expected = branches.flatMap((b) => b.map((i) => (i.code === "invalid_type" ? i.expected : "")));
    return [
      { path: formatPath(at), message: `expected ${[...new Set(expected)].filter(Boolean).join(" or ")}` },
    ];
  }
  const depth = (branch: readonly z.core.$ZodIssue[]) => Math.max(...branch.map((i) => i.path.length));
  const best = meant.reduce((a, b) => (depth(b) > depth(a) ? b : a));
  return issuesAt(at, best);
}
