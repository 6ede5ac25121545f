import { isSessionUser, type SessionResponse, type SessionUser } from "@portico/protocol";

export interface StoredSession {
  token: string;
  user: SessionUser;
  inactivityTimeoutMs: number;
}

/**
 * The session token lives in memory; it is mirrored to `sessionStorage` when the browser allows it, so a
 * reload of the frame keeps the session (storage is per tab and, in a third-party iframe, partitioned by the
 * top-level site, so it never leaks to another embedding page). Blocked storage silently degrades to memory.
 */
export class SessionStore {
  #current: StoredSession | undefined;
  readonly #key: string;
  readonly #storage: Storage | undefined;

  constructor(prefix: string, storage: Storage | undefined = safeSessionStorage()) {
    this.#key = `portico.session.${prefix || "-"}`;
    this.#storage = storage;
    this.#current = this.#read();
  }

  get current(): StoredSession | undefined {
    return this.#current;
  }

  get token(): string | undefined {
    return this.#current?.token;
  }

  set(response: SessionResponse): StoredSession {
    this.#current = {
      token: response.sessionToken,
      user: response.user,
      inactivityTimeoutMs: response.inactivityTimeoutMs,
    };
    try {
      this.#storage?.setItem(this.#key, JSON.stringify(this.#current));
    } catch {
      // Storage full or blocked: memory is enough for this page's life.
    }
    return this.#current;
  }

  clear(): void {
    this.#current = undefined;
    try {
      this.#storage?.removeItem(this.#key);
    } catch {
      // Nothing to clean when storage is blocked.
    }
  }

  #read(): StoredSession | undefined {
    try {
      const raw = this.#storage?.getItem(this.#key);
      if (!raw) return undefined;
      const parsed = JSON.parse(raw) as Partial<StoredSession>;
      // Storage is writable by any script of this origin: check the shape before trusting it.
      if (
        typeof parsed.token === "string" &&
        isSessionUser(parsed.user) &&
        typeof parsed.inactivityTimeoutMs === "number"
      )
        return parsed as StoredSession;
    } catch {
      // Unreadable entry: start without a session.
    }
    return undefined;
  }
}

function safeSessionStorage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    // Accessing the property throws where third-party storage is blocked.
    return undefined;
  }
}
