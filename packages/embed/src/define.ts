import {
  PorticoEmbed,
  type PorticoErrorDetail,
  type PorticoReadyDetail,
  type PorticoSelectionsChangedDetail,
  type PorticoSessionChangedDetail,
  type PorticoSessionExpiredDetail,
} from "./portico-embed.js";

export * from "./index.js";
export type {
  PorticoErrorDetail,
  PorticoReadyDetail,
  PorticoSelectionsChangedDetail,
  PorticoSessionChangedDetail,
  PorticoSessionExpiredDetail,
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
    "portico-error": CustomEvent<PorticoErrorDetail>;
    "portico-selections-changed": CustomEvent<PorticoSelectionsChangedDetail>;
    "portico-session-expired": CustomEvent<PorticoSessionExpiredDetail>;
    "portico-session-changed": CustomEvent<PorticoSessionChangedDetail>;
  }
}
