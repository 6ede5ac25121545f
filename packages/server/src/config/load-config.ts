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
  return error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys")
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: "unknown key" }));
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}
