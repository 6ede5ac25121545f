// The hub: the streams and apps the anonymous visitor may read, as the security rules decide.
import { renderChrome, say, startEmbeds } from "./common.js";

renderChrome("/hub.html");

document
  .getElementById("hub")
  ?.addEventListener("portico-error", (event) => say("hub-status", event.detail.message, true));
startEmbeds().catch((error: Error) => say("hub-status", error.message, true));
