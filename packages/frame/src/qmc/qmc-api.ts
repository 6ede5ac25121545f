import type { RuleCheckError } from "@portico/protocol";
/** What the console knows about its signed-in user (`GET /admin/api/v1/console/session`). */
export interface ConsoleSessionView {
  user: { userDirectory: string; userId: string; name?: string };
  proxy: string;
  csrfToken: string;
  expiresAt: string;
  rights: Record<string, { read: boolean; update: boolean }>;
}

/** One precise problem the server found in a change: `licenses.rules[2].condition` and what is wrong. */
export interface ConsoleIssue {
  path: string;
  message: string;
}

/** Where the server found a condition's problem (`POST /rules/check`): 0-based offset, 1-based line and column. */
export type ConditionProblem = RuleCheckError;

/** The server's verdict on a condition being typed. */
export interface ConditionCheck {
  ok: boolean;
  errors?: ConditionProblem[];
}

/** Which rules a condition belongs to: each kind is checked under the right to read its rules. */
export type ConditionKind = "security" | "license";

/** A refused console request, with the server's code, message and path-precise issues. */
export class ConsoleApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly issues: ConsoleIssue[];
  constructor(status: number, code: string, message: string, issues: ConsoleIssue[]) {
    super(message);
    this.name = "ConsoleApiError";
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

/** A configuration section as read, with the version an edit of it names. */
export interface Section<T> {
  value: T;
  version: string;
}

const ADMIN = "/admin/api/v1";

/**
 * The admin API as the console drives it: the console cookie goes along by itself (same origin), and every
 * change carries the session's CSRF token. Edits name the version they were opened at (`If-Match`).
 */
export class ConsoleApi {
  /** `/{P}` of the console's proxy, `""` for the default proxy. */
  readonly base: string;
  private csrfToken = "";

  constructor(base: string) {
    this.base = base;
  }

  async session(): Promise<ConsoleSessionView | undefined> {
    const res = await fetch(`${ADMIN}/console/session`, { credentials: "same-origin" });
    if (res.status === 401) return undefined;
    const view = (await this.body(res)) as ConsoleSessionView;
    this.csrfToken = view.csrfToken;
    return view;
  }

  async signIn(userDirectory: string, userId: string, password: string): Promise<ConsoleSessionView> {
    const res = await fetch(`${this.base}/qmc/sign-in`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...(userDirectory ? { userDirectory } : {}), userId, password }),
    });
    const view = (await this.body(res)) as ConsoleSessionView;
    this.csrfToken = view.csrfToken;
    return view;
  }

  async signOut(): Promise<void> {
    await this.call("DELETE", "/console/session");
  }

  async section<T>(name: string): Promise<Section<T>> {
    const res = await fetch(`${ADMIN}/config/${name}`, { credentials: "same-origin" });
    const body = (await this.body(res)) as Record<string, T>;
    return { value: body[name] as T, version: res.headers.get("etag") ?? "" };
  }

  /** Replaces a section over the version it was opened at; the new version comes back. */
  async putSection<T>(name: string, value: T, version: string): Promise<Section<T>> {
    const res = await fetch(`${ADMIN}/config/${name}`, {
      method: "PUT",
      credentials: "same-origin",
      headers: this.changeHeaders({ "if-match": version }),
      body: JSON.stringify({ [name]: value }),
    });
    const body = (await this.body(res)) as Record<string, T>;
    return { value: body[name] as T, version: res.headers.get("etag") ?? "" };
  }

  /** Checks a condition as it is typed; nothing is applied. */
  checkCondition(condition: string, kind: ConditionKind): Promise<ConditionCheck> {
    return this.post(kind === "license" ? "/licenses/rules/check" : "/rules/check", { condition });
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>("GET", path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>("POST", path, body);
  }

  delete(path: string): Promise<unknown> {
    return this.call("DELETE", path);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${ADMIN}${path}`, {
      method,
      credentials: "same-origin",
      headers: method === "GET" ? {} : this.changeHeaders({}),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await this.body(res)) as T;
  }

  private changeHeaders(extra: Record<string, string>): Record<string, string> {
    return { "content-type": "application/json", "x-portico-csrf": this.csrfToken, ...extra };
  }

  private async body(res: Response): Promise<unknown> {
    if (res.status === 204) return undefined;
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (res.ok) return parsed;
    const error = (
      parsed as { error?: { code?: string; message?: string; details?: { issues?: ConsoleIssue[] } } }
    )?.error;
    throw new ConsoleApiError(
      res.status,
      error?.code ?? "INTERNAL",
      error?.message ?? `HTTP ${res.status}`,
      error?.details?.issues ?? [],
    );
  }
}
