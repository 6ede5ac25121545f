import { ErrorCode } from "@portico/protocol";
import { PorticoError } from "../errors/portico-error.js";

/** One precise problem in a configuration: where (`virtualProxies[1].prefix`) and what. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** `["virtualProxies", 1, "prefix"]` -> `virtualProxies[1].prefix`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out === "" ? "(root)" : out;
}

export function formatIssues(issues: ConfigIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join("\n");
}

/** The error every invalid configuration raises: the message lists each issue, `details.issues` holds them. */
export function configInvalid(issues: ConfigIssue[]): PorticoError {
  return new PorticoError(ErrorCode.CONFIG_INVALID, `Invalid configuration:\n${formatIssues(issues)}`, {
    issues,
  });
}
