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
 *
 * Storage is first touched on first use (or `load()`), not on construction: in a third-party frame the
 * first access to `sessionStorage` waits for the browser process to open the partitioned storage area, and
 * the embed page does that after it has posted its handshake.
 */
export class SessionStore {
  #current: StoredSession | undefined;
  #loaded = false;
  readonly #key: string;
  #storage: Storage | (() => Storage | undefined) | undefined;

  /** `storage`: the area, or a function that returns it on first use (by default the page's sessionStorage). */
  constructor(prefix: string, storage: Storage | (() => Storage | undefined) = safeSessionStorage) {
    this.#key = `portico.session.${prefix || "-"}`;
    this.#storage = storage;
  }

  /** Reads the stored session now (a no-op after the first use). */
  load(): void {
    if (this.#loaded) return;
    this.#loaded = true;
    this.#current = this.#read();
  }

  get current(): StoredSession | undefined {
    this.load();
    return this.#current;
  }

  get token(): string | undefined {
    return this.current?.token;
  }

  set(response: SessionResponse): StoredSession {
    this.#loaded = true;
    this.#current = {
      token: response.sessionToken,
      user: response.user,
      inactivityTimeoutMs: response.inactivityTimeoutMs,
    };
    try {
      this.#area()?.setItem(this.#key, JSON.stringify(this.#current));
    } catch {
      // Storage full or blocked: memory is enough for this page's life.
    }
    return this.#current;
  }

  clear(): void {
    this.#loaded = true;
    this.#current = undefined;
    try {
      this.#area()?.removeItem(this.#key);
    } catch {
      // Nothing to clean when storage is blocked.
    }
  }

  #read(): StoredSession | undefined {
    try {
      const raw = this.#area()?.getItem(this.#key);
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

  /** The storage area, resolved once. */
  #area(): Storage | undefined {
    if (typeof this.#storage === "function") this.#storage = this.#storage();
    return this.#storage;
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
