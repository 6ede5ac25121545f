import type { AppDetail, HubResponse } from "@portico/protocol";
import { css, html, LitElement, nothing } from "lit";
import type { Translate } from "../i18n/strings.js";
import { sharedStyles } from "../styles/shared-styles.js";
import { fire } from "./events.js";

const styles = css`
  :host {
    display: block;
  }
  section {
    margin-bottom: 28px;
  }
  h2 {
    font-size: 13px;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--portico-muted);
    margin: 0 0 10px;
  }
  .apps {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(240px, 1fr));
    gap: 14px;
  }
  .app {
    background: var(--portico-surface);
    border: 1px solid var(--portico-border);
    border-radius: var(--portico-radius-lg);
    box-shadow: var(--portico-shadow);
    padding: 14px 16px;
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .app-head {
    display: flex;
    gap: 12px;
    align-items: center;
  }
  .thumb {
    width: 40px;
    height: 40px;
    border-radius: 10px;
    flex: none;
    display: grid;
    place-items: center;
    color: var(--portico-on-accent);
    background: var(--portico-accent);
    font-weight: 700;
  }
  h3 {
    font-size: 15px;
    margin: 0;
  }
  .description {
    color: var(--portico-muted);
    font-size: 13px;
    margin: 0;
    line-height: 1.4;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  a.sheet {
    display: block;
    padding: 5px 8px;
    border-radius: var(--portico-radius);
    color: var(--portico-link);
    text-decoration: none;
    font-size: 13px;
  }
  a.sheet:hover {
    background: var(--portico-hover);
  }
  .empty {
    color: var(--portico-muted);
  }
  .toggle {
    align-self: flex-start;
  }
`;

/**
 * The hub: readable streams, their readable apps, and each app's sheets (loaded when the visitor opens an
 * app). Sheet links lead to the first-party sheet page, or, inside an embed, open the sheet in place.
 */
export class PorticoHub extends LitElement {
  static override styles = [sharedStyles, styles];
  static override properties = {
    hub: { attribute: false },
    t: { attribute: false },
    prefixBase: { attribute: false },
    loadApp: { attribute: false },
    embedded: { type: Boolean },
    apps: { state: true },
  };

  declare hub: HubResponse | undefined;
  declare t: Translate;
  /** `/{P}` or `""`: where sheet links point. */
  declare prefixBase: string;
  /** Loads an app's sheets. */
  declare loadApp: ((id: string) => Promise<AppDetail>) | undefined;
  /** Inside an embed: opening a sheet is an event, not a navigation. */
  declare embedded: boolean;
  declare apps: Record<string, AppDetail | "loading" | "failed">;

  constructor() {
    super();
    this.prefixBase = "";
    this.embedded = false;
    this.apps = {};
  }

  override render() {
    const streams = this.hub?.streams.filter((s) => s.apps.length > 0) ?? [];
    if (streams.length === 0) return html`<p class="empty">${this.t("noApps")}</p>`;
    return streams.map(
      (stream) => html`<section aria-labelledby=${`stream-${stream.id}`}>
        <h2 id=${`stream-${stream.id}`}>${stream.name}</h2>
        <div class="apps">
          ${stream.apps.map((app) => {
            const detail = this.apps[app.id];
            return html`<article class="app" data-app=${app.id}>
              <div class="app-head">
                <div class="thumb" aria-hidden="true">${app.name.slice(0, 1).toUpperCase()}</div>
                <h3>${app.name}</h3>
              </div>
              ${app.description ? html`<p class="description">${app.description}</p>` : nothing}
              ${
                typeof detail === "object"
                  ? html`<ul aria-label=${this.t("sheets")}>
                    ${detail.sheets.map(
                      (sheet) => html`<li>
                        <a
                          class="sheet"
                          href=${`${this.prefixBase}/embed?app=${encodeURIComponent(app.id)}&sheet=${encodeURIComponent(sheet.id)}&opt=currsel,ctxmenu`}
                          @click=${(e: Event) => {
                            if (!this.embedded) return;
                            e.preventDefault();
                            fire(this, "portico-open-sheet", { app: app.id, sheet: sheet.id });
                          }}
                          >${sheet.title}</a
                        >
                      </li>`,
                    )}
                  </ul>`
                  : html`<button
                    class="button toggle"
                    ?disabled=${detail === "loading"}
                    aria-label=${this.t("sheetsOf", { app: app.name })}
                    @click=${() => this.#open(app.id)}
                  >
                    ${this.t("sheets")}
                  </button>`
              }
            </article>`;
          })}
        </div>
      </section>`,
    );
  }

  async #open(id: string): Promise<void> {
    if (!this.loadApp) return;
    this.apps = { ...this.apps, [id]: "loading" };
    try {
      const detail = await this.loadApp(id);
      this.apps = { ...this.apps, [id]: detail };
    } catch {
      this.apps = { ...this.apps, [id]: "failed" };
    }
  }
}
