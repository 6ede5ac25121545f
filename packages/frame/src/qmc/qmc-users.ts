import { html, nothing } from "lit";
import { QmcSection } from "./qmc-section.js";

interface Directory {
  name: string;
  users?: Array<{ userId: string; name?: string; roles?: string[] }>;
}
interface SessionRow {
  id: string;
  proxy: string;
  userDirectory: string;
  userId: string;
  anonymous: boolean;
  origin: string | null;
  createdAt: string;
  lastActiveAt: string;
}

/** *Users and sessions*: the local directories' users (read-only here), active sessions, *End session*. */
export class QmcUsers extends QmcSection {
  static override properties = {
    ...QmcSection.properties,
    directories: { state: true },
    sessions: { state: true },
  };
  declare directories: Directory[];
  declare sessions: SessionRow[] | undefined;

  constructor() {
    super();
    this.directories = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    this.directories = (await this.api.section<Directory[] | null>("userDirectories")).value ?? [];
    if (this.session.rights.sessions?.read)
      this.sessions = (
        await this.api.get<{ sessions: SessionRow[] }>("/sessions?active=true&limit=200")
      ).sessions;
  }

  override render() {
    const mayEnd = this.session.rights.sessions?.update === true;
    return html`<h2>${this.t("usersAndSessions")}</h2>
      <h3>${this.t("users")}</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">${this.t("userDirectory")}</th>
            <th scope="col">${this.t("userId")}</th>
            <th scope="col">${this.t("name")}</th>
            <th scope="col">${this.t("roles")}</th>
          </tr>
        </thead>
        <tbody>
          ${this.directories.flatMap((dir) =>
            (dir.users ?? []).map(
              (user) => html`<tr>
                <td>${dir.name}</td>
                <td>${user.userId}</td>
                <td>${user.name ?? ""}</td>
                <td>${(user.roles ?? []).join(", ")}</td>
              </tr>`,
            ),
          )}
        </tbody>
      </table>
      ${
        this.sessions
          ? html`<h3>${this.t("activeSessions")}</h3>
              ${this.outcome()}
              ${this.sessions.length === 0 ? html`<p class="note">${this.t("emptyList")}</p>` : nothing}
              <table ?hidden=${this.sessions.length === 0}>
                <thead>
                  <tr>
                    <th scope="col">${this.t("user")}</th>
                    <th scope="col">${this.t("proxy")}</th>
                    <th scope="col">${this.t("origin")}</th>
                    <th scope="col">${this.t("time")}</th>
                    <th scope="col"><span class="sr-only">${this.t("endSession")}</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${this.sessions.map(
                    (s) => html`<tr>
                      <td>${s.userDirectory}\\${s.userId}</td>
                      <td>${s.proxy === "" ? this.t("defaultProxy") : s.proxy}</td>
                      <td>${s.origin ?? ""}</td>
                      <td>${s.lastActiveAt}</td>
                      <td>
                        ${
                          mayEnd
                            ? html`<button class="button" aria-label=${`${this.t("endSession")} ${s.userId}`}
                                @click=${() =>
                                  this.change(async () => {
                                    await this.api.delete(`/sessions/${encodeURIComponent(s.id)}`);
                                    await this.load();
                                  })}>${this.t("endSession")}</button>`
                            : nothing
                        }
                      </td>
                    </tr>`,
                  )}
                </tbody>
              </table>`
          : nothing
      }`;
  }
}
