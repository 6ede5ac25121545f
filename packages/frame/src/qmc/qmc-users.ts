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
  /** The address the session started from, as the visit log's privacy mode keeps it. */
  ip: string | null;
  /** The page and app its latest visit events name. */
  pageUrl: string | null;
  app: string | null;
}

/** An anonymous identity's GUID (`anonymous<uuid>`), by which the list names an anonymous session. */
const ANONYMOUS_ID = /^anonymous(.+)$/;

/**
 * *Users and sessions*: the local directories' users (read-only here), and the active sessions (anonymous
 * ones by their GUID) with the address each started from as the privacy mode keeps it, the page and app it
 * is on, and *End session*.
 */
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
                  { label: this.t("user"), cell: (s: SessionRow) => this.who(s) },
                  {
                    label: this.t("proxy"),
                    cell: (s: SessionRow) => (s.proxy === "" ? this.t("defaultProxy") : s.proxy),
                  },
                  { label: this.t("ip"), cell: (s: SessionRow) => s.ip ?? "—" },
                  {
                    label: this.t("page"),
                    cell: (s: SessionRow) => html`<span class="anywhere">${this.page(s)}</span>`,
                  },
                  { label: this.t("app"), cell: (s: SessionRow) => s.app ?? "—" },
                  {
                    label: this.t("lastActivity"),
                    cell: (s: SessionRow) => this.time(s.lastActiveAt),
                  },
                  {
                    label: this.t("endSession"),
                    hidden: true,
                    cell: (s: SessionRow) =>
                      mayEnd
                        ? editButton(this.t("endSession"), this.name(s), () =>
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

  /** How a session's user is named: an anonymous one by its GUID. */
  private name(s: SessionRow): string {
    const guid = s.anonymous ? ANONYMOUS_ID.exec(s.userId)?.[1] : undefined;
    return guid ? `${this.t("anonymous")} ${guid}` : `${s.userDirectory}\\${s.userId}`;
  }

  private who(s: SessionRow) {
    const guid = s.anonymous ? ANONYMOUS_ID.exec(s.userId)?.[1] : undefined;
    return guid ? html`${this.t("anonymous")} <code class="anywhere">${guid}</code>` : this.name(s);
  }

  /** The page on its origin, as the session's embedding page reported it. */
  private page(s: SessionRow) {
    if (!s.pageUrl) return s.origin ?? "—";
    return s.origin && !s.pageUrl.includes("://") ? `${s.origin}${s.pageUrl}` : s.pageUrl;
  }
}
