// Administration: the built-in Visitor analytics app embedded for the demo administrator (tickets from the
// demo backend, which calls the Ticket API), and the raw visit log from Portico's admin API, read through
// the demo backend (which holds the admin API key).
import { sharedClient } from "@portico/embed";
import type { VisitRecord, VisitSummaryRow } from "@portico/protocol";
import { demoConfig, renderChrome, say, startEmbeds } from "./common.js";

renderChrome("/admin.html");

async function adminTicket(): Promise<string> {
  const response = await fetch("/demo-api/admin-ticket", { method: "POST" });
  const body = (await response.json()) as { ticket?: string; error?: { message: string } };
  if (!response.ok || !body.ticket) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
  return body.ticket;
}

const analytics = document.getElementById("analytics") as HTMLElementTagNameMap["portico-embed"];
analytics.addEventListener("portico-ready", (event) => {
  const user = event.detail.user;
  say("admin-identity", `${user.name ?? user.userId} (${user.userDirectory}\\${user.userId})`);
});
analytics.addEventListener("portico-error", (event) => say("analytics-status", event.detail.message, true));

// The page's client for the `ops` proxy takes its tickets from the backend: registered before the element
// starts, so the element uses it instead of asking for an anonymous ticket (which `ops` refuses).
demoConfig()
  .then(({ server }) => {
    sharedClient({ server, proxy: "ops", getTicket: adminTicket });
    return startEmbeds();
  })
  .catch((error: Error) => say("analytics-status", error.message, true));

async function get<T>(path: string): Promise<T> {
  const response = await fetch(path);
  const body = (await response.json()) as T & { error?: { code: string; message: string } };
  if (!response.ok)
    throw new Error(body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${response.status}`);
  return body;
}

function cell(text: string | number | null, className?: string): HTMLTableCellElement {
  const td = document.createElement("td");
  td.textContent = text === null || text === "" ? "—" : String(text);
  if (className) td.className = className;
  return td;
}

function stat(name: string, value: string | number): string {
  const div = document.createElement("div");
  div.className = "stat";
  const v = document.createElement("div");
  v.className = "value";
  v.textContent = String(value);
  const n = document.createElement("div");
  n.className = "name";
  n.textContent = name;
  div.append(v, n);
  return div.outerHTML;
}

async function refresh(): Promise<void> {
  say("admin-status", "Loading…");
  try {
    const [log, byApp, byDay] = await Promise.all([
      get<{ visits: VisitRecord[] }>("/demo-api/visits?limit=50"),
      get<{ rows: VisitSummaryRow[] }>("/demo-api/visits/summary?groupBy=app"),
      get<{ rows: VisitSummaryRow[] }>("/demo-api/visits/summary?groupBy=day"),
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const todayRow = byDay.rows.find((r) => r.key === today);
    const anonymous = log.visits.filter((v) => v.anonymous).length;
    (document.getElementById("stats") as HTMLElement).innerHTML = [
      stat("Visits today", todayRow?.visits ?? 0),
      stat("Unique visitors today", todayRow?.uniqueVisitors ?? 0),
      stat(
        "Anonymous share (latest events)",
        log.visits.length ? `${Math.round((100 * anonymous) / log.visits.length)} %` : "—",
      ),
      stat("Apps visited", byApp.rows.filter((r) => r.key !== null).length),
    ].join("");

    const apps = document.querySelector("#by-app tbody") as HTMLElement;
    apps.replaceChildren(
      ...byApp.rows
        .filter((r) => r.key !== null)
        .map((r) => {
          const tr = document.createElement("tr");
          tr.append(cell(r.key), cell(r.visits), cell(r.uniqueVisitors));
          return tr;
        }),
    );

    const body = document.querySelector("#log tbody") as HTMLElement;
    body.replaceChildren(
      ...log.visits.map((v) => {
        const tr = document.createElement("tr");
        tr.dataset.type = v.type;
        tr.append(
          cell(v.time.replace("T", " ").slice(0, 19)),
          cell(v.type),
          cell(v.proxy === "" ? "(default)" : v.proxy),
          cell(`${v.userDirectory}\\${v.userId}`, "mono identity"),
          cell(v.ip, "mono ip"),
          cell([v.browser, v.os].filter(Boolean).join(" · ")),
          cell(v.origin),
          cell([v.app, v.sheet].filter(Boolean).join(" / ")),
        );
        return tr;
      }),
    );
    say("admin-status", `${log.visits.length} latest events`);
  } catch (error) {
    say("admin-status", (error as Error).message, true);
  }
}

document.getElementById("refresh")?.addEventListener("click", () => void refresh());
void refresh();
