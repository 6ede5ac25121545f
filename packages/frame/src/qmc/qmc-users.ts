import { html, nothing } from "lit";
import { QmcSection } from "./qmc-section.js";
import { editButton, qmcTable } from "./qmc-table.js";

interface Directory {
  name: string;
  users?: Array<{ userId: string; name?: string; roles?: string[] }>;
}
type UserRow = NonNullable<Directory["users"]>[number] & { userDirectory: string };
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
      ${qmcTable(
        [
          { label: this.t("userDirectory"), cell: (u: UserRow) => u.userDirectory },
          { label: this.t("userId"), cell: (u: UserRow) => u.userId },
          { label: this.t("name"), cell: (u: UserRow) => u.name ?? "" },
          { label: this.t("roles"), cell: (u: UserRow) => (u.roles ?? []).join(", ") },
        ],
        this.directories.flatMap((dir) =>
          (dir.users ?? []).map((user) => ({ ...user, userDirectory: dir.name })),
        ),
      )}
      ${
        this.sessions
          ? html`<h3>${this.t("activeSessions")}</h3>
              ${this.outcome()}
              ${qmcTable(
                [
                  { label: this.t("user"), cell: (s: SessionRow) => `${s.userDirectory}\\${s.userId}` },
                  {
                    label: this.t("proxy"),
                    cell: (s: SessionRow) => (s.proxy === "" ? this.t("defaultProxy") : s.proxy),
                  },
                  { label: this.t("origin"), cell: (s: SessionRow) => s.origin ?? "" },
                  { label: this.t("time"), cell: (s: SessionRow) => s.lastActiveAt },
                  {
                    label: this.t("endSession"),
                    hidden: true,
                    cell: (s: SessionRow) =>
                      mayEnd
                        ? editButton(this.t("endSession"), s.userId, () =>
                            this.change(async () => {
                              await this.api.delete(`/sessions/${encodeURIComponent(s.id)}`);
                              await this.load();
                            }),
                          )
                        : nothing,
                  },
                ],
                this.sessions,
                this.t("emptyList"),
              )}`
          : nothing
      }`;
  }
}
