export interface ConfigChangeRecord {
  id: number;
  changedAt: number;
  section: string;
  actor: string;
  /** The section's new value as JSON. */
  content: string;
}

/** Admin config changes in commit order, so every node applies them alike and a returning node catches up. */
export interface ConfigChangesRepository {
  /** Returns the change's id, greater than every id recorded before it. */
  record(change: Omit<ConfigChangeRecord, "id">): Promise<number>;
  list(afterId?: number): Promise<ConfigChangeRecord[]>;
}
