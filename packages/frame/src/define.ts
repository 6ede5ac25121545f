import { PorticoErrorScreen } from "./components/portico-error-screen.js";
import { PorticoFrameApp } from "./components/portico-frame-app.js";
import { PorticoHub } from "./components/portico-hub.js";
import { PorticoListbox } from "./components/portico-listbox.js";
import { PorticoLogin } from "./components/portico-login.js";
import { PorticoObject } from "./components/portico-object.js";
import { PorticoSelectionsBar } from "./components/portico-selections-bar.js";
import { PorticoSheet } from "./components/portico-sheet.js";
import { PorticoTable } from "./components/portico-table.js";
import { formatters } from "./format/formatters.js";

const TAGS = {
  "portico-frame-app": PorticoFrameApp,
  "portico-sheet": PorticoSheet,
  "portico-object": PorticoObject,
  "portico-table": PorticoTable,
  "portico-listbox": PorticoListbox,
  "portico-selections-bar": PorticoSelectionsBar,
  "portico-error-screen": PorticoErrorScreen,
  "portico-hub": PorticoHub,
  "portico-login": PorticoLogin,
} as const;

/** Registers the frame's elements (importing a class never does); safe to call twice. */
export function defineFrameElements(): void {
  for (const [tag, ctor] of Object.entries(TAGS))
    if (!customElements.get(tag)) customElements.define(tag, ctor);
}

/**
 * Builds the number formats the charts of `locale` will need (`Formatters.warm`: ICU's first load, for
 * locales without plain formats), so the boot code can do it while the session answer is on its way.
 */
export function warmFormatters(locale: string): void {
  try {
    formatters(locale).warm();
  } catch {
    // An invalid locale: the UI meets it again when it renders, and says so there.
  }
}

defineFrameElements();

declare global {
  interface HTMLElementTagNameMap {
    "portico-frame-app": PorticoFrameApp;
    "portico-sheet": PorticoSheet;
    "portico-object": PorticoObject;
    "portico-table": PorticoTable;
    "portico-listbox": PorticoListbox;
    "portico-selections-bar": PorticoSelectionsBar;
    "portico-error-screen": PorticoErrorScreen;
    "portico-hub": PorticoHub;
    "portico-login": PorticoLogin;
  }
}
