import { PorticoQmc } from "./portico-qmc.js";
import { QmcApps } from "./qmc-apps.js";
import { QmcCheck } from "./qmc-check.js";
import { QmcConditionEditor } from "./qmc-condition-editor.js";
import { QmcLicenses } from "./qmc-licenses.js";
import { QmcProxies } from "./qmc-proxies.js";
import { QmcRules } from "./qmc-rules.js";
import { QmcStart } from "./qmc-start.js";
import { QmcStreams } from "./qmc-streams.js";
import { QmcUsers } from "./qmc-users.js";
import { QmcVisits } from "./qmc-visits.js";

const ELEMENTS = {
  "portico-qmc": PorticoQmc,
  "qmc-start": QmcStart,
  "qmc-proxies": QmcProxies,
  "qmc-licenses": QmcLicenses,
  "qmc-streams": QmcStreams,
  "qmc-apps": QmcApps,
  "qmc-rules": QmcRules,
  "qmc-users": QmcUsers,
  "qmc-visits": QmcVisits,
  "qmc-check": QmcCheck,
  "qmc-condition-editor": QmcConditionEditor,
} as const;

/**
 * Registers the console's elements (a call, not an import for its side effect: the package marks only its
 * frame entry points as having side effects, so a bare import would be dropped from the build).
 */
export function defineQmcElements(): void {
  for (const [tag, element] of Object.entries(ELEMENTS))
    if (!customElements.get(tag)) customElements.define(tag, element);
}

declare global {
  interface HTMLElementTagNameMap {
    "portico-qmc": PorticoQmc;
    "qmc-start": QmcStart;
    "qmc-proxies": QmcProxies;
    "qmc-licenses": QmcLicenses;
    "qmc-streams": QmcStreams;
    "qmc-apps": QmcApps;
    "qmc-rules": QmcRules;
    "qmc-users": QmcUsers;
    "qmc-visits": QmcVisits;
    "qmc-check": QmcCheck;
    "qmc-condition-editor": QmcConditionEditor;
  }
}
