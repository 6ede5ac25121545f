import { type Kysely, Migrator } from "kysely";
import type { Database } from "./database.js";
import type { FastPaths } from "./fast-paths.js";
import { KyselyConfigChanges } from "./kysely-config-changes.js";
import { KyselyConsoleSessions } from "./kysely-console-sessions.js";
import { KyselyLicences } from "./kysely-licences.js";
import { KyselySessions } from "./kysely-sessions.js";
import { KyselySigningKeys } from "./kysely-signing-keys.js";
import { KyselyUsedTickets } from "./kysely-used-tickets.js";
import { KyselyVisits } from "./kysely-visits.js";
import { migrationProvider } from "./migrations/migrations.js";
import type { Storage } from "./storage.js";

/** What an adapter adds to the Kysely repositories. */
export interface KyselyStorageOptions {
  /** Statements run the adapter's own way, behind the same repositories (SQLite's native ones). */
  fastPaths?: FastPaths | undefined;
  /** What must end before the connection closes (SQLite's checkpoint worker). */
  beforeClose?: () => Promise<void> | undefined;
}

/**
 * The repositories over any Kysely dialect. Queries stay in the subset SQLite and PostgreSQL share.
 * `db` is for the adapters and the storage tests in this folder; nothing outside it sees SQL.
 */
export class KyselyStorage implements Storage {
  readonly kind: "sqlite" | "postgres";
  readonly db: Kysely<Database>;
  readonly sessions: KyselySessions;
  readonly tickets: KyselyUsedTickets;
  readonly keys: KyselySigningKeys;
  readonly configChanges: KyselyConfigChanges;
  readonly licences: KyselyLicences;
  readonly visits: KyselyVisits;
  readonly consoleSessions: KyselyConsoleSessions;
  private readonly beforeClose: (() => Promise<void> | undefined) | undefined;

  constructor(db: Kysely<Database>, kind: "sqlite" | "postgres", options: KyselyStorageOptions = {}) {
    this.db = db;
    this.kind = kind;
    const fast = options.fastPaths;
    this.sessions = new KyselySessions(db, fast);
    this.tickets = new KyselyUsedTickets(db);
    this.keys = new KyselySigningKeys(db);
    this.configChanges = new KyselyConfigChanges(db, kind);
    this.licences = new KyselyLicences(db);
    this.visits = new KyselyVisits(db, kind, fast?.insertRows);
    this.consoleSessions = new KyselyConsoleSessions(db);
    this.beforeClose = options.beforeClose;
  }

  /** A storage over `db`, migrated; closed again when the migration fails. */
  static async open(
    db: Kysely<Database>,
    kind: "sqlite" | "postgres",
    options: KyselyStorageOptions = {},
  ): Promise<KyselyStorage> {
    const storage = new KyselyStorage(db, kind, options);
    try {
      await storage.migrate();
    } catch (error) {
      await storage.close();
      throw error;
    }
    return storage;
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({ db: this.db, provider: migrationProvider });
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === "Error");
    if (error || failed)
      throw new Error(
        `storage migration failed${failed ? ` at ${failed.migrationName}` : ""}: ${String((error as Error)?.message ?? error)}`,
      );
  }

  async ping(): Promise<void> {
    await this.db.selectFrom("sessions").select("id").limit(1).execute();
  }

  async close(): Promise<void> {
    try {
      await this.beforeClose?.();
    } finally {
      await this.db.destroy();
    }
  }
}
