import type { LicenceTransaction, RenewOutcome } from "./licences-repository.js";
import type { VisitRow } from "./visits-repository.js";

/**
 * One session's start as one unit of work (`SessionsRepository.start`): its licence allocation, its row
 * and the visit events recorded about its start (`sessionStart`) commit together or not at all, so a start
 * that fails (a clash, the database gone mid-start) leaves no consumed pass or unit and no event of a
 * session that does not exist. Nothing is written before the first write asks for it: a gate that refuses
 * from memory costs no transaction.
 */
export interface SessionStart {
  /**
   * `LicencesRepository.renew` for the starting session, inside the start's transaction: `work` allocates
   * or throws, and what it took is kept only if the start commits.
   */
  renewLicence<T>(
    identity: string,
    now: number,
    work: (trx: LicenceTransaction) => Promise<T>,
  ): Promise<RenewOutcome<T>>;
  /** An event written with the session row (its `sessionStart`). */
  recordVisit(row: VisitRow): void;
  /**
   * Runs `fn` once the start has committed (never after a rollback): bookkeeping that must not count a
   * start that did not happen, or that reads storage. The start is done by then, so `fn` handles its own
   * errors; a rejection is ignored.
   */
  afterCommit(fn: () => Promise<void> | void): void;
  /** Writes the session row and the recorded events, and commits everything. */
  commit(): Promise<void>;
  /** Undoes what was written (idempotent; after a failed commit too). */
  rollback(): Promise<void>;
}
