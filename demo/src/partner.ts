// The partner page, on the `allow` proxy: the visitor starts anonymous, then switches to the demo account.
// The ticket comes from the demo's backend (POST /demo-api/partner-ticket), which calls Portico's Ticket
// API with the portal's ticket client credential; the page only ever sees the one-time ticket.
import type { SessionUser } from "@portico/protocol";
import { renderChrome, say, startEmbeds } from "./common.js";

renderChrome("/partner.html");

const transport = document.getElementById("partner-transport") as HTMLElementTagNameMap["portico-embed"];
const identity = document.getElementById("identity") as HTMLElement;
const login = document.getElementById("login") as HTMLButtonElement;

function showUser(user: SessionUser): void {
  identity.textContent = user.anonymous
    ? "Anonymous visitor"
    : `${user.name ?? user.userId} (${user.userDirectory}\\${user.userId})`;
  identity.className = `pill ${user.anonymous ? "anonymous" : "identified"}`;
  identity.dataset.userDirectory = user.userDirectory;
  identity.dataset.userId = user.userId;
  login.disabled = !user.anonymous;
  login.hidden = !user.anonymous;
}

transport.addEventListener("portico-ready", (event) => showUser(event.detail.user));
transport.addEventListener("portico-error", (event) => say("partner-status", event.detail.message, true));

login.addEventListener("click", async () => {
  login.disabled = true;
  say("partner-status", "Logging in…");
  try {
    const response = await fetch("/demo-api/partner-ticket", { method: "POST" });
    const body = (await response.json()) as { ticket?: string; error?: { message: string } };
    if (!response.ok || !body.ticket) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
    const view = transport.embedView;
    if (!view) throw new Error("the dashboard is not ready yet");
    // Every embed of this page on the same proxy moves to the new session.
    showUser(await view.authenticate(body.ticket));
    say("partner-status", "");
    openReports();
  } catch (error) {
    say("partner-status", `Login failed: ${(error as Error).message}`, true);
    login.disabled = false;
  }
});

/** After the login the page adds the partners-only app; it joins the page's (now identified) session. */
function openReports(): void {
  const section = document.getElementById("reports") as HTMLElement;
  if (!section.hidden) return;
  const embed = document.createElement("portico-embed");
  embed.id = "partner-reports";
  embed.autoResize = true;
  embed.setAttribute("server", transport.getAttribute("server") ?? "");
  embed.setAttribute("proxy", "partner");
  embed.setAttribute("app", "air-quality");
  embed.setAttribute("sheet", "readings");
  embed.addEventListener("portico-error", (event) => say("partner-status", event.detail.message, true));
  section.append(embed);
  section.hidden = false;
}

startEmbeds().catch((error: Error) => say("partner-status", error.message, true));
