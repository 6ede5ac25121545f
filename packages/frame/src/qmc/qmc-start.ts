import { html } from "lit";
import { QmcSection } from "./qmc-section.js";
import type { QmcStringKey } from "./qmc-strings.js";
import { tileStyles } from "./qmc-styles.js";

/** A start-page tile: a section, the configuration section it counts, and how to count it. */
interface Tile {
  route: string;
  label: QmcStringKey;
  section: string;
  count: (value: unknown) => number;
}

const length = (value: unknown) => (Array.isArray(value) ? value.length : 0);

export const TILES: Tile[] = [
  { route: "proxies", label: "virtualProxies", section: "virtualProxies", count: length },
  { route: "streams", label: "streams", section: "streams", count: length },
  { route: "apps", label: "apps", section: "apps", count: length },
  {
    route: "licenses",
    label: "licenseManagement",
    section: "licenses",
    count: (value) => length((value as { rules?: unknown } | null)?.rules),
  },
  { route: "rules", label: "securityRules", section: "securityRules", count: length },
  {
    route: "users",
    label: "usersAndSessions",
    section: "userDirectories",
    count: (value) =>
      Array.isArray(value)
        ? value.reduce((n, dir: { users?: unknown[] }) => n + (dir.users?.length ?? 0), 0)
        : 0,
  },
];

/** The start page: each section the user may see, with its count, as the modelled hub's console opens. */
export class QmcStart extends QmcSection {
  static override styles = [...QmcSection.styles, tileStyles];
  static override properties = { ...QmcSection.properties, counts: { state: true } };
  declare counts: Record<string, number | undefined>;

  constructor() {
    super();
    this.counts = {};
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    const counts: Record<string, number | undefined> = {};
    await Promise.all(
      TILES.filter((tile) => this.session.rights[tile.section]?.read).map(async (tile) => {
        if (tile.section === "securityRules") {
          const { rules } = await this.api.get<{ rules: unknown[] }>("/rules");
          counts[tile.route] = rules.length;
        } else counts[tile.route] = tile.count((await this.api.section(tile.section)).value);
      }),
    );
    this.counts = counts;
  }

  override render() {
    const tiles = TILES.filter((tile) => this.session.rights[tile.section]?.read);
    return html`<h2>${this.t("start")}</h2>
      <ul class="tiles">
        ${tiles.map(
          (tile) => html`<li>
            <a class="tile" href=${`#/${tile.route}`}>
              <span class="tile-count">${this.counts[tile.route] === undefined ? "…" : this.number(this.counts[tile.route])}</span>
              <span>${this.t(tile.label)}</span>
            </a>
          </li>`,
        )}
        <li><a class="tile" href="#/check"><span class="tile-count">✓</span><span>${this.t("anonymousCheck")}</span></a></li>
      </ul>`;
  }
}
