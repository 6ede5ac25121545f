// One chart object (`object="by-department"`): the object view of an app, no sheet around it.
import { renderChrome, say, startEmbeds } from "./common.js";

renderChrome("/chart.html");

const chart = document.getElementById("chart") as HTMLElementTagNameMap["portico-embed"];
chart.addEventListener("portico-selections-changed", (event) => {
  const departments = event.detail.selections.Department ?? [];
  say("chart-status", departments.length ? `Showing: ${departments.join(", ")}` : "");
});
chart.addEventListener("portico-error", (event) => say("chart-status", event.detail.message, true));
document.getElementById("clear")?.addEventListener("click", () => {
  void chart.embedView?.clearSelections();
});

startEmbeds().catch((error: Error) => say("chart-status", error.message, true));
