import { VISIT_TYPES, type VisitRecord } from "@portico/protocol";
import { css, html, nothing } from "lit";
import { FIRST_PARTY_FRAME_NAME } from "../rpc/parent-origin.js";
import { onSubmit, QmcSection } from "./qmc-section.js";
import { qmcTable } from "./qmc-table.js";

/** The raw log's filters, as the admin API's `visits` query names them. */
const FILTERS = ["from", "to", "type", "app", "user", "ip", "origin"] as const;
type Filter = Record<(typeof FILTERS)[number], string>;

/** Events one page of the log shows; *Show more* reads the next page. */
const PAGE_SIZE = 100;

/** The built-in Visitor analytics app and its first sheet (`visits.analyticsApp`). */
const ANALYTICS = { app: "visitor-analytics", sheet: "visits-over-time" };

/**
 * *Visits*: the Visitor analytics app in a frame (when the server has it), and the raw log, newest first,
 * filtered by time, event, app, user, IP and origin, with *Show more* and the CSV export of what the
 * filters select.
 */
export class QmcVisits extends QmcSection {
  static override styles = [
    ...QmcSection.styles,
    css`
      .analytics iframe {
        display: block;
        width: 100%;
        height: 640px;
        border: 1px solid var(--portico-border);
        border-radius: var(--portico-radius);
        background: var(--portico-surface);
        margin-bottom: 16px;
      }
    `,
  ];
  static override properties = {
    ...QmcSection.properties,
    visits: { state: true },
    filter: { state: true },
    nextCursor: { state: true },
    analytics: { state: true },
    analyticsSrc: { state: true },
  };
  declare visits: VisitRecord[] | undefined;
  declare filter: Filter;
  /** Where the next page of the log starts; undefined on the last page. */
  declare nextCursor: string | undefined;
  /** Whether the Visitor analytics app is on (`visits.analyticsApp`). */
  declare analytics: boolean;
  /** What the analytics frame shows: the app, or the hub's login leading to it. */
  declare analyticsSrc: string | undefined;

  constructor() {
    super();
    this.filter = { from: "", to: "", type: "", app: "", user: "", ip: "", origin: "" };
    this.analytics = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    void this.api
      .section<{ analyticsApp?: boolean } | null>("visits")
      .then(async (section) => {
        this.analytics = section.value?.analyticsApp === true;
        if (this.analytics) this.analyticsSrc = await this.analyticsFrameSrc();
      })
      .catch(() => undefined);
  }

  /** The app in the console's language (the frame and the hub's login read `locale`). */
  private analyticsUrl(): string {
    const locale = encodeURIComponent(this.t.locale);
    return `${this.api.base}/embed?app=${ANALYTICS.app}&sheet=${ANALYTICS.sheet}&locale=${locale}`;
  }

  /**
   * The app itself when the browser has a hub session on this proxy; else the hub's login, which leads
   * to it. The console session is not a hub session: the app is read as the hub user, under the hub's
   * rules and with the hub user's licence.
   */
  private async analyticsFrameSrc(): Promise<string> {
    const hub = await fetch(`${this.api.base}/api/v1/sessions/current`, { credentials: "same-origin" });
    return hub.ok
      ? this.analyticsUrl()
      : `${this.api.base}/hub?login=1&locale=${encodeURIComponent(this.t.locale)}&next=${encodeURIComponent(this.analyticsUrl())}`;
  }

  private query(): string {
    const params = new URLSearchParams();
    for (const key of FILTERS) if (this.filter[key]) params.set(key, this.filter[key].trim());
    return params.toString();
  }

  /** The filters of the rows shown: "Show more" reads on with them, whatever has been typed since. */
  private shownQuery = "";

  private async load(more = false) {
    if (!more) this.shownQuery = this.query();
    const params = new URLSearchParams(this.shownQuery);
    params.set("limit", String(PAGE_SIZE));
    if (more && this.nextCursor) params.set("cursor", this.nextCursor);
    const page = await this.api.get<{ visits: VisitRecord[]; nextCursor?: string }>(`/visits?${params}`);
    this.visits = more ? [...(this.visits ?? []), ...page.visits] : page.visits;
    this.nextCursor = page.nextCursor;
  }

  override render() {
    const t = this.t;
    const set = (key: keyof Filter, value: string) => (this.filter = { ...this.filter, [key]: value });
    const text = (key: Exclude<keyof Filter, "type">, label: string, placeholder = "") =>
      html`<div class="field">
        <label for=${`visits-${key}`}>${label}</label>
        <input id=${`visits-${key}`} type="text" placeholder=${placeholder} .value=${this.filter[key]}
          @input=${(e: Event) => set(key, (e.target as HTMLInputElement).value)} />
      </div>`;
    return html`<h2>${t("visits")}</h2>
      ${
        this.analytics
          ? html`<section class="analytics" aria-labelledby="visitor-analytics">
              <h3 id="visitor-analytics">${t("visitorAnalytics")}</h3>
              <p class="note">${t("visitorAnalyticsNote")}
                <a href=${this.analyticsUrl()} target="_blank" rel="noopener">${t("openInNewTab")}</a></p>
              ${
                this.analyticsSrc
                  ? html`<iframe name=${FIRST_PARTY_FRAME_NAME} title=${t("visitorAnalytics")}
                      src=${this.analyticsSrc}></iframe>`
                  : nothing
              }
            </section>`
          : nothing
      }
      <h3>${t("visitLog")}</h3>
      <form class="panel" aria-label=${t("visitLog")} @submit=${onSubmit(() => this.load())}>
        <div class="row">
          ${text("from", t("from"), "2026-01-01")}
          ${text("to", t("to"), "2026-12-31")}
          <div class="field">
            <label for="visits-type">${t("event")}</label>
            <select id="visits-type" @change=${(e: Event) => set("type", (e.target as HTMLSelectElement).value)}>
              <option value="" ?selected=${this.filter.type === ""}>${t("allEvents")}</option>
              ${VISIT_TYPES.map((type) => html`<option value=${type} ?selected=${this.filter.type === type}>${t(`visit_${type}`)}</option>`)}
            </select>
          </div>
          ${text("app", t("app"))}
        </div>
        <div class="row">
          ${text("user", t("user"), "NONE\\anonymous…")}
          ${text("ip", t("ip"))}
          ${text("origin", t("origin"), "https://portal.example.com")}
        </div>
        <div class="row">
          <button class="button primary" type="submit">${t("filter")}</button>
          <a class="button" href=${`/admin/api/v1/visits/export?${this.query()}`} download="visits.csv">
            ${t("exportCsv")}
          </a>
        </div>
      </form>
      ${qmcTable(
        [
          { label: t("time"), cell: (v: VisitRecord) => this.time(v.time) },
          {
            label: t("event"),
            cell: (v: VisitRecord) => `${t(`visit_${v.type}`)}${v.denialCode ? ` (${v.denialCode})` : ""}`,
          },
          {
            label: t("user"),
            cell: (v: VisitRecord) => html`<span class="anywhere">${v.userDirectory}\\${v.userId}</span>`,
          },
          { label: t("ip"), cell: (v: VisitRecord) => v.ip ?? "" },
          {
            label: t("page"),
            cell: (v: VisitRecord) => html`<span class="anywhere">${v.pageUrl ?? v.origin ?? ""}</span>`,
          },
          { label: t("app"), cell: (v: VisitRecord) => [v.app, v.sheet].filter(Boolean).join(" › ") },
        ],
        this.visits ?? [],
        t("emptyList"),
      )}
      ${
        this.nextCursor
          ? html`<button class="button" type="button" @click=${() => this.load(true)}>${t("showMore")}</button>`
          : nothing
      }`;
  }
}
