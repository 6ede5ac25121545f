import type { SheetDef } from "@portico/protocol";
import { html, nothing } from "lit";
import { QmcListSection } from "./qmc-list-section.js";
import { onSubmit, QmcSection } from "./qmc-section.js";
import { sheetsPreview, sheetsPreviewStyles } from "./qmc-sheets-preview.js";
import { editButton, qmcTable } from "./qmc-table.js";

type App = Record<string, unknown> & {
  id: string;
  name: string;
  stream: string;
  published?: boolean;
  sheets?: SheetDef[];
};
/** An app's data as `GET /apps/data` reports it: when it was loaded, and its last reload if there was one. */
interface DataStatus {
  app: string;
  loadedAt?: string;
  lastReload?: { at: string; ok: boolean; error?: string };
}

/**
 * *Apps*: stream, published, sheets preview, reload with its last status; *Publish* to a stream; *Create
 * new* (an id, a name, a stream and the data file of its first table; sheets are the configuration's) and
 * *Delete*.
 */
export class QmcApps extends QmcListSection<App> {
  static override styles = [...QmcSection.styles, sheetsPreviewStyles];
  static override properties = {
    ...QmcListSection.properties,
    streams: { state: true },
    status: { state: true },
  };
  protected readonly sectionName = "apps";
  declare streams: Array<{ id: string; name: string }>;
  declare status: DataStatus[];

  constructor() {
    super();
    this.streams = [];
    this.status = [];
  }

  protected override async load() {
    await super.load();
    if (this.session.rights.streams?.read)
      this.streams = (await this.api.section<Array<{ id: string; name: string }>>("streams")).value ?? [];
    this.status = await this.api
      .get<{ apps: DataStatus[] }>("/apps/data")
      .then((body) => body.apps)
      .catch(() => []);
  }

  /** The last reload's outcome and time (and why it failed), else when the data was first loaded. */
  private lastReload(id: string): string {
    const status = this.status.find((s) => s.app === id);
    const last = status?.lastReload;
    if (!last) return status?.loadedAt ? `${this.t("loadedAt")} · ${this.time(status.loadedAt)}` : "—";
    const outcome = last.ok ? this.t("reloadSucceeded") : this.t("reloadFailed");
    return [outcome, this.time(last.at), last.error].filter(Boolean).join(" · ");
  }

  override render() {
    if (!this.data) return html`<p>${this.t("loading")}</p>`;
    if (this.editing) return this.renderEditor();
    const streamName = (id: string) => this.streams.find((s) => s.id === id)?.name ?? id;
    return html`<h2>${this.t("apps")}</h2>
      ${this.readOnlyNote("apps")}
      ${
        this.mayUpdate("apps")
          ? html`<div class="toolbar">
              <button class="button primary" @click=${() =>
                this.open(-1, {
                  id: "",
                  name: "",
                  stream: this.streams[0]?.id ?? "",
                  published: true,
                  tables: [{ name: "data", source: "" }],
                  sheets: [],
                })}>${this.t("createNew")}</button>
            </div>`
          : nothing
      }
      ${qmcTable(
        [
          { label: this.t("name"), cell: (app: App) => app.name },
          { label: this.t("stream"), cell: (app: App) => streamName(app.stream) },
          { label: this.t("published"), cell: (app: App) => (app.published === false ? "—" : "✓") },
          { label: this.t("sheets"), cell: (app: App) => (app.sheets ?? []).map((s) => s.title).join(", ") },
          { label: this.t("lastReload"), cell: (app: App) => this.lastReload(app.id) },
          {
            label: this.t("edit"),
            hidden: true,
            cell: (app: App, index) => editButton(this.t("edit"), app.name, () => this.open(index)),
          },
        ],
        this.data.value,
      )}`;
  }

  private renderEditor() {
    const { index, draft } = this.editing as { index: number; draft: App };
    const readOnly = !this.mayUpdate("apps");
    const creating = index < 0;
    const path = `apps[${creating ? (this.data?.value.length ?? 0) : index}]`;
    const set = (patch: Partial<App>) => (this.editing = { index, draft: { ...draft, ...patch } });
    const table = (draft.tables as Array<{ name: string; source: string }> | undefined)?.[0];
    return html`<h2>${this.t("apps")}: ${creating ? this.t("createNew") : draft.name}</h2>
      ${this.readOnlyNote("apps")}
      <form class="panel" @submit=${onSubmit(() => this.applyDraft())}>
        ${
          creating
            ? html`<div class="field">
                  <label for="app-id">${this.t("appId")}</label>
                  <input id="app-id" type="text" required .value=${draft.id}
                    @input=${(e: Event) => set({ id: (e.target as HTMLInputElement).value })} />
                  ${this.fieldError(`${path}.id`, "app-id-error")}
                </div>`
            : nothing
        }
        <div class="field">
          <label for="app-name">${this.t("name")}</label>
          <input id="app-name" type="text" .value=${draft.name} ?disabled=${readOnly}
            @input=${(e: Event) => set({ name: (e.target as HTMLInputElement).value })} />
          ${this.fieldError(`${path}.name`, "app-name-error")}
        </div>
        <div class="field">
          <label for="app-stream">${this.t("stream")}</label>
          <select id="app-stream" ?disabled=${readOnly}
            @change=${(e: Event) => set({ stream: (e.target as HTMLSelectElement).value })}>
            ${this.streams.map(
              (stream) =>
                html`<option value=${stream.id} ?selected=${stream.id === draft.stream}>${stream.name}</option>`,
            )}
          </select>
          ${this.fieldError(`${path}.stream`, "app-stream-error")}
        </div>
        ${
          creating
            ? html`<div class="field">
                  <label for="app-source">${this.t("dataFile")}</label>
                  <input id="app-source" type="text" required .value=${table?.source ?? ""}
                    aria-describedby="app-source-help"
                    @input=${(e: Event) =>
                      set({ tables: [{ name: "data", source: (e.target as HTMLInputElement).value }] })} />
                  <span class="help" id="app-source-help">${this.t("dataFileHelp")}</span>
                  ${this.fieldError(`${path}.tables[0].source`, "app-source-error")}
                </div>`
            : nothing
        }
        <fieldset>
          <legend>${this.t("publish")}</legend>
          <label>
            <input type="checkbox" .checked=${draft.published !== false} ?disabled=${readOnly}
              @change=${(e: Event) => set({ published: (e.target as HTMLInputElement).checked })} />
            ${this.t("published")}
          </label>
        </fieldset>
        ${
          creating
            ? nothing
            : html`<h3>${this.t("sheets")}</h3>
                ${sheetsPreview(this.t, draft.sheets ?? [])}
                <p class="note">${this.t("lastReload")}: ${this.lastReload(draft.id)}</p>`
        }
        ${this.fieldError(path, "app-error")}
        ${this.actionBar({
          readOnly,
          submit: creating ? this.t("apply") : this.t("publish"),
          extra: creating
            ? nothing
            : html`<button class="button" type="button"
                @click=${() =>
                  this.change(async () => {
                    await this.api.post(`/apps/${encodeURIComponent(draft.id)}/reload`, {});
                    await this.load();
                  })}>${this.t("reload")}</button>`,
          onDelete: creating ? undefined : () => this.applyDraft(true),
          onBack: () => {
            this.editing = undefined;
            void this.load();
          },
        })}
      </form>`;
  }
}
