// Home: two sheets embedded anonymously through the `anon` proxy, and year buttons on the host page that
// stay in step with the spending sheet's selections, both ways.
import type { Selections } from "@portico/protocol";
import { renderChrome, say, startEmbeds } from "./common.js";

renderChrome("/");

const spending = document.getElementById("spending") as HTMLElementTagNameMap["portico-embed"];
const buttons = [...document.querySelectorAll<HTMLButtonElement>("#years button")];
/** What the frame reported last: a year click changes only `Year` and keeps the visitor's other picks. */
let current: Selections = {};

function showYears(selections: Selections): void {
  const years = (selections.Year ?? []).map(String);
  for (const button of buttons) {
    const year = button.dataset.year ?? "";
    button.setAttribute("aria-pressed", String(year === "" ? years.length === 0 : years.includes(year)));
  }
}

for (const button of buttons)
  button.addEventListener("click", () => {
    const year = button.dataset.year ?? "";
    const { Year: _previous, ...others } = current;
    const next: Selections = year === "" ? others : { ...others, Year: [Number(year)] };
    // The `selections` attribute is applied live over RPC: the frame does not reload.
    spending.setAttribute("selections", JSON.stringify(next));
    showYears(next);
  });

spending.addEventListener("portico-selections-changed", (event) => {
  current = event.detail.selections;
  showYears(current);
});
spending.addEventListener("portico-ready", () => say("spending-status", ""));
for (const id of ["spending", "transport"])
  document.getElementById(id)?.addEventListener("portico-error", (event) => {
    say("spending-status", `${event.detail.code}: ${event.detail.message}`, true);
  });

startEmbeds().catch((error: Error) => say("spending-status", error.message, true));
