import type { VisitRecord } from "@portico/protocol";
import { html } from "lit";
import { onSubmit, QmcSection } from "./qmc-section.js";
import { qmcTable } from "./qmc-table.js";

/** *Visits*: the raw log, newest first, with filters and the CSV export. */
export class QmcVisits extends QmcSection {
  static override properties = { ...QmcSection.properties, visits: { state: true }, filter: { state: true } };
  declare visits: VisitRecord[] | undefined;
  declare filter: { from: string; to: string; app: string };

  constructor() {
    super();
    this.filter = { from: "", to: "", app: "" };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private query(): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(this.filter)) if (value) params.set(key, value);
    return params.toString();
  }

  private async load() {
    const query = this.query();
    this.visits = (
      await this.api.get<{ visits: VisitRecord[] }>(`/visits?limit=100${query ? `&${query}` : ""}`)
    ).visits;
  }

  override render() {
    const set = (key: "from" | "to" | "app", value: string) =>
      (this.filter = { ...this.filter, [key]: value });
    return html`<h2>${this.t("visits")}</h2>
      <form class="panel" @submit=${onSubmit(() => this.load())}>
        <div class="row">
          <div class="field">
            <label for="visits-from">${this.t("from")}</label>
            <input id="visits-from" type="text" placeholder="2026-01-01" .value=${this.filter.from}
              @input=${(e: Event) => set("from", (e.target as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="visits-to">${this.t("to")}</label>
            <input id="visits-to" type="text" placeholder="2026-12-31" .value=${this.filter.to}
              @input=${(e: Event) => set("to", (e.target as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="visits-app">${this.t("app")}</label>
            <input id="visits-app" type="text" .value=${this.filter.app}
              @input=${(e: Event) => set("app", (e.target as HTMLInputElement).value)} />
          </div>
          <button class="button primary" type="submit">${this.t("filter")}</button>
          <a class="button" href=${`/admin/api/v1/visits/export?${this.query()}`} download="visits.csv">
            ${this.t("exportCsv")}
          </a>
        </div>
      </form>
      ${qmcTable(
        [
          { label: this.t("time"), cell: (v: VisitRecord) => v.time },
          {
            label: this.t("event"),
            cell: (v: VisitRecord) => `${v.type}${v.denialCode ? ` (${v.denialCode})` : ""}`,
          },
          { label: this.t("user"), cell: (v: VisitRecord) => `${v.userDirectory}\\${v.userId}` },
          { label: this.t("ip"), cell: (v: VisitRecord) => v.ip ?? "" },
          { label: this.t("origin"), cell: (v: VisitRecord) => v.origin ?? "" },
          { label: this.t("app"), cell: (v: VisitRecord) => v.app ?? "" },
        ],
        this.visits ?? [],
        this.t("emptyList"),
      )}`;
  }
}
