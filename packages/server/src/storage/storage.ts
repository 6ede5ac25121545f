import type { ConfigChangesRepository } from "./config-changes-repository.js";
import type { ConsoleSessionsRepository } from "./console-sessions-repository.js";
import type { LicencesRepository } from "./licences-repository.js";
import type { SessionsRepository } from "./sessions-repository.js";
import type { SigningKeysRepository } from "./signing-keys-repository.js";
import type { UsedTicketsRepository } from "./used-tickets-repository.js";
import type { VisitsRepository } from "./visits-repository.js";

export type { ConfigChangeRecord } from "./config-changes-repository.js";
export type { ConsoleSessionRecord } from "./console-sessions-repository.js";
export type { SessionStart } from "./session-start.js";
export type { SessionEndReason, SessionQuery, SessionRecord, SessionTouch } from "./sessions-repository.js";
export type { SigningKeyRecord } from "./signing-keys-repository.js";

/**
 * Everything the server keeps outside the config: one repository per feature, behind async interfaces
 * so the SQLite (embedded) and PostgreSQL (several nodes) adapters are interchangeable. Callers never
 * see SQL.
 */
export interface Storage {
  readonly kind: "sqlite" | "postgres";
  readonly sessions: SessionsRepository;
  /** One-time ticket ids. */
  readonly tickets: UsedTicketsRepository;
  /** Public ticket signing keys. */
  readonly keys: SigningKeysRepository;
  readonly configChanges: ConfigChangesRepository;
  readonly licences: LicencesRepository;
  readonly visits: VisitsRepository;
  /** Management console sign-ins. */
  readonly consoleSessions: ConsoleSessionsRepository;
  migrate(): Promise<void>;
  /** Throws when the store is unreachable (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
