/** A user signed in to the management console of one proxy (times in ms since the epoch). */
export interface ConsoleSessionRecord {
  id: string;
  /** SHA-256 of the cookie's token: the token itself is never stored. */
  tokenHash: string;
  /** The proxy whose console (and login) the user signed in through. */
  proxy: string;
  userDirectory: string;
  userId: string;
  /** Sent by the console in `X-Portico-CSRF`; useless without the cookie, whose token is only hashed here. */
  csrfToken: string;
  createdAt: number;
  lastActiveAt: number;
  expiresAt: number;
  absoluteExpiresAt: number;
}

/**
 * Console sessions, shared by every node on the storage, so a cluster needs no sticky routing for the
 * console. Apart from the hub's sessions: they hold no licence and are no visit.
 */
export interface ConsoleSessionsRepository {
  create(session: ConsoleSessionRecord): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<ConsoleSessionRecord | undefined>;
  /** Moves the inactivity deadline on. */
  touch(id: string, lastActiveAt: number, expiresAt: number): Promise<void>;
  delete(tokenHash: string): Promise<void>;
  /** Deletes the sessions whose deadline has passed; how many. */
  purge(now: number): Promise<number>;
}
