import {
  PorticoEmbed,
  type PorticoErrorDetail,
  type PorticoReadyDetail,
  type PorticoRenderedDetail,
  type PorticoSelectionsChangedDetail,
  type PorticoSessionChangedDetail,
  type PorticoSessionExpiredDetail,
  type PorticoSessionExpiringDetail,
  type PorticoSessionRecoveredDetail,
} from "./portico-embed.js";

export * from "./index.js";
export type {
  PorticoErrorDetail,
  PorticoReadyDetail,
  PorticoRenderedDetail,
  PorticoSelectionsChangedDetail,
  PorticoSessionChangedDetail,
  PorticoSessionExpiredDetail,
  PorticoSessionExpiringDetail,
  PorticoSessionRecoveredDetail,
} from "./portico-embed.js";
export { PorticoEmbed };

// Registering twice throws; a page may load this entry from two bundles.
if (!customElements.get("portico-embed")) customElements.define("portico-embed", PorticoEmbed);

declare global {
  interface HTMLElementTagNameMap {
    "portico-embed": PorticoEmbed;
  }
  interface HTMLElementEventMap {
    "portico-ready": CustomEvent<PorticoReadyDetail>;
    "portico-rendered": CustomEvent<PorticoRenderedDetail>;
    "portico-error": CustomEvent<PorticoErrorDetail>;
    "portico-selections-changed": CustomEvent<PorticoSelectionsChangedDetail>;
    "portico-session-expiring": CustomEvent<PorticoSessionExpiringDetail>;
    "portico-session-expired": CustomEvent<PorticoSessionExpiredDetail>;
    "portico-session-recovered": CustomEvent<PorticoSessionRecoveredDetail>;
    "portico-session-changed": CustomEvent<PorticoSessionChangedDetail>;
  }
}
