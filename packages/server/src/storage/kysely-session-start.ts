import type { ControlledTransaction, Kysely } from "kysely";
import type { Database } from "./database.js";
import type { FastPaths } from "./fast-paths.js";
import { renewIn } from "./kysely-licences.js";
import type { LicenceTransaction, RenewOutcome } from "./licences-repository.js";
import { sessionToRow } from "./session-rows.js";
import type { SessionStart } from "./session-start.js";
import type { SessionRecord } from "./sessions-repository.js";
import type { VisitRow } from "./visits-repository.js";

/**
 * A session start over Kysely (see `SessionStart`). The transaction begins with the first write (the
 * licence claim); a start that writes nothing before its commit (no licences enforced) writes its session
 * and events in one go at the commit, through `insertStart` when the adapter has one (SQLite's native
 * transaction).
 */
export class KyselySessionStart implements SessionStart {
  private readonly db: Kysely<Database>;
  private readonly session: SessionRecord;
  private readonly insertStart: FastPaths["insertSessionStart"] | undefined;
  private opened: Promise<ControlledTransaction<Database>> | undefined;
  private readonly visits: VisitRow[] = [];
  private readonly committed: Array<() => Promise<void> | void> = [];
  private settled = false;

  constructor(db: Kysely<Database>, session: SessionRecord, insertStart?: FastPaths["insertSessionStart"]) {
    this.db = db;
    this.session = session;
    this.insertStart = insertStart;
  }

  async renewLicence<T>(
    identity: string,
    now: number,
    work: (trx: LicenceTransaction) => Promise<T>,
  ): Promise<RenewOutcome<T>> {
    return renewIn(await this.transaction(), this.session.id, identity, now, work);
  }

  recordVisit(row: VisitRow): void {
    this.visits.push(row);
  }

  afterCommit(fn: () => Promise<void> | void): void {
    this.committed.push(fn);
  }

  async commit(): Promise<void> {
    if (this.settled) throw new Error("commit: this session start is already settled");
    const row = sessionToRow(this.session);
    if (this.opened === undefined && this.insertStart !== undefined) {
      await this.insertStart(row, this.visits);
    } else if (this.opened === undefined && this.visits.length === 0) {
      await this.db.insertInto("sessions").values(row).execute();
    } else {
      const trx = await this.transaction();
      await trx.insertInto("sessions").values(row).execute();
      if (this.visits.length > 0) await trx.insertInto("visits").values(this.visits).execute();
      await trx.commit().execute();
    }
    this.settled = true;
    for (const fn of this.committed)
      await Promise.resolve()
        .then(fn)
        .catch(() => undefined);
  }

  async rollback(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    const trx = await this.opened?.catch(() => undefined);
    if (trx === undefined || trx.isCommitted || trx.isRolledBack) return;
    try {
      await trx.rollback().execute();
    } catch {
      // The connection is gone (the database restarted): the transaction went with it, and Kysely has
      // released the connection either way.
    }
  }

  private transaction(): Promise<ControlledTransaction<Database>> {
    if (this.settled) return Promise.reject(new Error("this session start is already settled"));
    this.opened ??= this.db.startTransaction().execute();
    return this.opened;
  }
}
