// @portico/frame: the pages are the product (built by vite); these exports serve tests, tools and anyone
// composing the frame's pieces. Importing this module registers no element: import `./define.js` for that.
export {
  type ApiClient,
  type ApiClientOptions,
  createApiClient,
  type EmbedConfig,
  RETRY_DELAYS_MS,
} from "./api/api-client.js";
export { proxyBase, proxyPrefixFromPath } from "./api/proxy-prefix.js";
export { PorticoErrorScreen } from "./components/portico-error-screen.js";
export { PorticoFrameApp } from "./components/portico-frame-app.js";
export { PorticoHub } from "./components/portico-hub.js";
export { PorticoListbox } from "./components/portico-listbox.js";
export { PorticoLogin } from "./components/portico-login.js";
export { FIRST_CHART_MARK, PorticoObject } from "./components/portico-object.js";
export { PorticoSelectionsBar } from "./components/portico-selections-bar.js";
export { PorticoSheet } from "./components/portico-sheet.js";
export { PorticoTable } from "./components/portico-table.js";
export { FrameError, toFrameError } from "./errors/frame-error.js";
export { type Formatters, formatters } from "./format/formatters.js";
export { type StringKey, type Translate, translator } from "./i18n/strings.js";
export { createFrameEndpoint, type FrameEndpoint } from "./rpc/frame-endpoint.js";
export { isParentOriginAllowed, parentOriginCandidate } from "./rpc/parent-origin.js";
export { reportSize } from "./rpc/resize-reporter.js";
export { SessionStore } from "./session/session-store.js";
export { FrameController, type FrameControllerOptions, type FrameStatus } from "./state/frame-controller.js";
export { applyTheme } from "./theme/apply-theme.js";
