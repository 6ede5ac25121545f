import { createHash } from "node:crypto";
import { ErrorCode } from "@portico/protocol";
import { PorticoError } from "../errors/portico-error.js";

/**
 * A configuration section's version: a digest of its content as written. A digest, not a counter, so every
 * node of a cluster (and a node after a restart, or after a hand edit of the file) names the same content
 * with the same version, and an edit opened on one node is checked correctly on another.
 */
export function sectionVersion(value: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify(value ?? null))
    .digest("base64url")
    .slice(0, 22);
}

/** VERSION_CONFLICT (409): an edit was opened at `expected`, and the section has changed since. */
export function versionConflict(section: string): PorticoError {
  return new PorticoError(
    ErrorCode.VERSION_CONFLICT,
    `${section} changed since it was opened (by another console, the admin API or a file edit): open it again and redo the change`,
  );
}
