import type { AnonymousAccess } from "./session.js";

/**
 * What the embed frame must know about its virtual proxy before it talks to its host page: the same body
 * as `GET /{P}/api/v1/embed-config`, and what the server writes into the embed page it serves. Public by
 * nature (the allow list is already in the page's `frame-ancestors`): never put a secret here.
 */
export interface EmbedConfig {
  hostAllowList: string[];
  anonymousAccess: AnonymousAccess;
  inactivityTimeoutMs: number;
}

/**
 * The id of the `<script type="application/json">` data block carrying the embed config in the embed page.
 * A data block is never executed, so the page's CSP stays `script-src 'self'`.
 */
export const EMBED_CONFIG_ELEMENT_ID = "portico-embed-config";

/** Guards an embed config read from the page or the network. */
export function isEmbedConfig(value: unknown): value is EmbedConfig {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    Array.isArray(v.hostAllowList) &&
    v.hostAllowList.every((origin) => typeof origin === "string") &&
    (v.anonymousAccess === "none" || v.anonymousAccess === "allow" || v.anonymousAccess === "always") &&
    typeof v.inactivityTimeoutMs === "number" &&
    Number.isFinite(v.inactivityTimeoutMs) &&
    v.inactivityTimeoutMs > 0
  );
}
