import { type FSWatcher, watch } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { type Document, parseDocument } from "yaml";
import type { Storage } from "../storage/storage.js";
import type { ConfigExtension } from "./config-extension.js";
import type { ConfigState } from "./config-state.js";
import { fileChangeRefusal } from "./file-change-refusal.js";
import { parseConfigText, validateConfig } from "./load-config.js";
import { readStableText } from "./read-stable-text.js";
import { sectionVersion, versionConflict } from "./section-version.js";

/** Config sections the admin API may replace. */
export const EDITABLE_SECTIONS = [
  "virtualProxies",
  "streams",
  "apps",
  "securityRules",
  "userDirectories",
  "ticketClients",
  "licenses",
  "visits",
] as const;
export type EditableSection = (typeof EDITABLE_SECTIONS)[number];

/** Editors save in bursts (truncate, write, rename); wait this long after the last event before reloading. */
const WATCH_DEBOUNCE_MS = 150;
/** A watched file is read until two reads this far apart agree, so a save in progress is never applied. */
const WATCH_STABLE_MS = 200;
/** Stable reads attempted per change event before giving up on a file that keeps changing. */
const WATCH_STABLE_ATTEMPTS = 25;

/** Change-log entries that ask every node to reload an app's data: `reload:<appId>`, no content. */
const RELOAD_SECTION = "reload:";

export interface ConfigStoreOptions {
  /** Where admin changes are recorded for other nodes to follow. */
  storage?: Storage;
  logger?: Logger;
  clock?: () => number;
  /** Write admin changes back to the YAML file (default: true when the store was opened from a file). */
  persist?: boolean;
  /** Built-in content added to every configuration this store validates. */
  extensions?: readonly ConfigExtension[];
}

export type ConfigListener = (state: ConfigState, previous: ConfigState) => void;
/** Runs before a valid configuration takes effect (e.g. loads app data); throwing refuses the change. */
export type ConfigCheck = (next: ConfigState, current: ConfigState) => Promise<void>;

/**
 * Holds the current validated configuration and what is derived from it. Every change (admin API, file
 * edit) is validated first: an invalid change throws and the old configuration stays in force.
 */
export class ConfigStore {
  private state: ConfigState;
  private document: Document;
  private readonly options: ConfigStoreOptions;
  private readonly listeners = new Set<ConfigListener>();
  private readonly reloadListeners = new Set<(appId: string) => void>();
  private readonly checks: ConfigCheck[] = [];
  /** The file text of the configuration in force; a watch event with the same text is our own write. */
  private activeText: string | undefined;
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private watchGeneration = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** Following other nodes' admin changes (see `followChanges`). */
  private follower: NodeJS.Timeout | undefined;
  /** The last `config_changes` id this node has seen, its own or another node's. */
  private seenChangeId = 0;
  /** The highest change id in force here (see `applied`). */
  private appliedChangeId = 0;
  /** Per section, the id of the change in force: an older change of the same section never overwrites it. */
  private readonly sectionChangeIds = new Map<string, number>();

  private constructor(state: ConfigState, document: Document, options: ConfigStoreOptions) {
    this.state = state;
    this.document = document;
    this.options = options;
    this.logWarnings(state);
  }

  /** Reads and validates the file; throws CONFIG_INVALID with path-precise messages. */
  static async open(configPath: string, options: ConfigStoreOptions = {}): Promise<ConfigStore> {
    const absolute = path.resolve(configPath);
    const text = await readFile(absolute, "utf8");
    const state = parseConfigText(text, absolute, options.extensions);
    const store = new ConfigStore(state, parseDocument(text), { persist: true, ...options });
    store.activeText = text;
    return store;
  }

  /** From YAML text; `configPath` anchors relative paths. Persists only when `options.persist`. */
  static fromText(text: string, configPath: string, options: ConfigStoreOptions = {}): ConfigStore {
    const state = parseConfigText(text, configPath, options.extensions);
    return new ConfigStore(state, parseDocument(text), { persist: false, ...options });
  }

  /** Records later admin changes in this storage (opened after the config, since the config names it). */
  useStorage(storage: Storage): void {
    this.options.storage = storage;
  }

  /** Adds a check that every later change must pass before it takes effect. */
  useCheck(check: ConfigCheck): void {
    this.checks.push(check);
  }

  get current(): ConfigState {
    return this.state;
  }

  onChange(listener: ConfigListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The section as written (before defaults), for the admin API. */
  section(name: EditableSection): unknown {
    return this.document.toJS()?.[name];
  }

  /** The version of a section as written (see `sectionVersion`): what an edit names to be applied. */
  version(name: EditableSection): string {
    return sectionVersion(this.section(name));
  }

  /**
   * Replaces one section: validate and check it, record it in storage, then persist (YAML written
   * atomically: temp + rename, comments elsewhere kept) and swap. Recorded before it is applied: a change the
   * database refuses (down, frozen) throws and is applied nowhere, so no node runs a configuration the others
   * never see. Serialised so concurrent edits never interleave. With `expectedVersion` (the version the edit
   * was opened at), a section changed since is refused with VERSION_CONFLICT, checked in the same turn as the
   * write, so of two edits opened at one version only the first applies.
   */
  replaceSection(
    name: EditableSection,
    value: unknown,
    actor: string,
    expectedVersion?: string,
  ): Promise<ConfigState> {
    const run = this.queue.then(async () => {
      if (expectedVersion !== undefined && this.version(name) !== expectedVersion)
        throw versionConflict(name);
      const next = await this.prepareSection(name, value);
      const id = await this.options.storage?.configChanges.record({
        changedAt: (this.options.clock ?? Date.now)(),
        section: name,
        actor,
        content: JSON.stringify(value ?? null),
      });
      await this.commitSection(next);
      if (id !== undefined) {
        this.sectionChangeIds.set(name, id);
        // The marker only moves over changes this node has handled: another node's change may have taken
        // an id between the last one pulled here and this one, and the poller still has to apply it.
        if (id === this.seenChangeId + 1 && this.appliedChangeId >= this.seenChangeId) {
          this.seenChangeId = id;
          await this.markApplied(id);
        }
      }
      this.options.logger?.info({ section: name, actor }, "configuration section replaced");
      return next.state;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Records that an app's data was reloaded on request, so every other node following the change log
   * reloads it too (`onReloadRequest`). Nothing in the configuration changes.
   */
  recordReload(appId: string, actor: string): Promise<void> {
    const run = this.queue.then(async () => {
      const id = await this.options.storage?.configChanges.record({
        changedAt: (this.options.clock ?? Date.now)(),
        section: `${RELOAD_SECTION}${appId}`,
        actor,
        content: "null",
      });
      if (id !== undefined && id === this.seenChangeId + 1 && this.appliedChangeId >= this.seenChangeId) {
        this.seenChangeId = id;
        await this.markApplied(id);
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Another node asked for an app's data to be read again (see `recordReload`). */
  onReloadRequest(listener: (appId: string) => void): () => void {
    this.reloadListeners.add(listener);
    return () => this.reloadListeners.delete(listener);
  }

  /** Validate and check one section replaced: the document and state it gives, nothing changed yet. */
  private async prepareSection(
    name: string,
    value: unknown,
  ): Promise<{ document: Document; state: ConfigState }> {
    const document = this.document.clone();
    if (value === undefined || value === null) document.delete(name);
    else document.set(name, document.createNode(value));
    const state = validateConfig(document.toJS(), this.state.configPath, this.options.extensions);
    for (const check of this.checks) await check(state, this.state);
    return { document, state };
  }

  private async commitSection(next: { document: Document; state: ConfigState }): Promise<void> {
    await this.persist(next.document);
    this.document = next.document;
    this.swap(next.state);
  }

  /** Validate, check, persist, swap: one section replaced, or an error and nothing changed. */
  private async applySection(name: string, value: unknown): Promise<ConfigState> {
    const next = await this.prepareSection(name, value);
    await this.commitSection(next);
    return next.state;
  }

  /**
   * The highest change id this node has handled, kept next to its file (`.<file>.applied-change`) and
   * written after the file: a node that stops, or misses changes while it is down, starts again from there
   * and catches up; a crash in between re-applies one change, which is harmless (the same value).
   */
  private async markApplied(id: number): Promise<void> {
    this.appliedChangeId = id;
    if (!this.options.persist) return;
    const target = this.appliedChangeFile();
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, `${id}\n`, "utf8");
    await rename(temp, target);
  }

  private appliedChangeFile(): string {
    const file = this.state.configPath;
    return path.join(path.dirname(file), `.${path.basename(file)}.applied-change`);
  }

  /** The highest change id recorded next to the file; undefined when there is none (it never followed). */
  private async readAppliedChangeId(): Promise<number | undefined> {
    if (!this.options.persist) return undefined;
    let text: string;
    try {
      text = await readFile(this.appliedChangeFile(), "utf8");
    } catch {
      return undefined;
    }
    const id = Number.parseInt(text, 10);
    return Number.isSafeInteger(id) && id >= 0 ? id : undefined;
  }

  /**
   * Applies the admin changes other nodes record in the shared storage (a config change on one node
   * reaches the others), polling `config_changes` every `intervalMs`. First it catches up: every change
   * after the last one this node applied (kept next to its file; the latest per section) is applied before
   * this resolves, so a node that was down during a change runs what the others run. A node that never
   * followed takes its file as its truth (it may hold hand edits newer than the last admin change) and
   * starts counting from the latest change recorded. Each change goes through the same validation and
   * checks as a local one and is written to this node's file; one that does not validate here is logged and
   * skipped (the running configuration stays). Per section, the change with the highest id wins on every
   * node, whichever order they arrive in, so concurrent edits on two nodes converge.
   */
  async followChanges(intervalMs = 1000): Promise<void> {
    const storage = this.options.storage;
    if (!storage || this.follower) return;
    const marker = await this.readAppliedChangeId();
    if (marker === undefined) {
      // Never followed before: the file it starts from is its truth (it may hold hand edits made after the
      // last admin change), and from now on it knows where it stands.
      const history = await storage.configChanges.list(this.seenChangeId);
      const last = history.reduce((max, c) => Math.max(max, c.id), this.seenChangeId);
      this.seenChangeId = last;
      await this.markApplied(last);
    } else {
      this.appliedChangeId = marker;
      this.seenChangeId = Math.max(this.seenChangeId, marker);
      await this.pullChanges();
    }
    const poll = async () => {
      try {
        await this.pullChanges();
      } catch (error) {
        this.options.logger?.warn(
          { err: (error as Error).message },
          "could not read other nodes' config changes",
        );
      }
      if (this.follower) this.follower = setTimeout(poll, intervalMs).unref();
    };
    this.follower = setTimeout(poll, intervalMs).unref();
  }

  /** One round of `followChanges` (also for tests): applies what other nodes recorded since the last one. */
  pullChanges(): Promise<number> {
    const run = this.queue.then(async () => {
      const storage = this.options.storage;
      if (!storage) return 0;
      let applied = 0;
      const changes = await storage.configChanges.list(this.seenChangeId);
      // A later change of a section replaces an earlier one: catching up applies only the latest.
      const latest = new Map(changes.map((change) => [change.section, change.id]));
      for (const change of changes) {
        this.seenChangeId = Math.max(this.seenChangeId, change.id);
        if (latest.get(change.section) !== change.id) continue;
        if ((this.sectionChangeIds.get(change.section) ?? 0) >= change.id) continue;
        if (change.section.startsWith(RELOAD_SECTION)) {
          this.sectionChangeIds.set(change.section, change.id);
          const appId = change.section.slice(RELOAD_SECTION.length);
          for (const listener of this.reloadListeners) listener(appId);
          continue;
        }
        try {
          await this.applySection(change.section, JSON.parse(change.content));
          this.sectionChangeIds.set(change.section, change.id);
          applied++;
          this.options.logger?.info(
            { section: change.section, actor: change.actor, change: change.id },
            "configuration section replaced by another node",
          );
        } catch (error) {
          this.options.logger?.error(
            { section: change.section, change: change.id, err: (error as Error).message },
            "another node's configuration change does not apply here; keeping the running configuration",
          );
        }
      }
      // Every change listed was handled in order (applied, superseded, this node's own, or refused here
      // and logged): a restart resumes after the last of them.
      const last = changes.at(-1);
      if (last && last.id > this.appliedChangeId) await this.markApplied(last.id);
      return applied;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Re-reads the file. Invalid content is logged and ignored: the running configuration stays. */
  reloadFromFile(): Promise<boolean> {
    return this.applyFileText(() => readFile(this.state.configPath, "utf8"), false);
  }

  /** Applies file edits live. Watches the directory, since editors replace files by rename. */
  watch(): void {
    if (this.watcher) return;
    const file = path.basename(this.state.configPath);
    this.watcher = watch(path.dirname(this.state.configPath), (_event, name) => {
      if (name !== null && name !== file) return;
      clearTimeout(this.debounce);
      this.debounce = setTimeout(
        () => void this.reloadFromWatcher().catch(() => undefined),
        WATCH_DEBOUNCE_MS,
      );
    });
  }

  /** Only a complete, stable document that keeps at least one proxy is applied from the watcher. */
  private async reloadFromWatcher(): Promise<void> {
    const configPath = this.state.configPath;
    // A change event during a read starts a newer read; only the newest one applies what it found.
    const generation = ++this.watchGeneration;
    const text = await readStableText(configPath, {
      intervalMs: WATCH_STABLE_MS,
      attempts: WATCH_STABLE_ATTEMPTS,
      cancelled: () => this.watcher === undefined || generation !== this.watchGeneration,
    });
    if (generation !== this.watchGeneration) return;
    if (text === undefined) {
      if (this.watcher)
        this.options.logger?.warn(
          { path: configPath },
          "configuration file kept changing; keeping the running configuration until it settles",
        );
      return;
    }
    await this.applyFileText(async () => text, true);
  }

  private applyFileText(read: () => Promise<string>, fromWatcher: boolean): Promise<boolean> {
    const run = this.queue.then(async () => {
      const text = await read();
      if (text === this.activeText) return false;
      const configPath = this.state.configPath;
      const document = parseDocument(text);
      const refusal = fromWatcher ? fileChangeRefusal(document, this.document) : undefined;
      if (refusal) {
        this.options.logger?.warn(
          { path: configPath, reason: refusal },
          `configuration file change refused: ${refusal} (use the admin API, or restart after \`portico check\`, to do that on purpose); keeping the running configuration`,
        );
        return false;
      }
      try {
        const state = parseConfigText(text, configPath, this.options.extensions);
        for (const check of this.checks) await check(state, this.state);
        this.document = document;
        this.activeText = text;
        this.swap(state);
        this.options.logger?.info({ path: configPath }, "configuration reloaded from file");
        return true;
      } catch (error) {
        this.options.logger?.error(
          { path: configPath, err: (error as Error).message },
          "configuration file change refused; keeping the running configuration",
        );
        return false;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    clearTimeout(this.follower);
    this.follower = undefined;
    clearTimeout(this.debounce);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private swap(state: ConfigState): void {
    const previous = this.state;
    this.state = state;
    this.logWarnings(state);
    for (const listener of this.listeners) listener(state, previous);
  }

  /** Each configuration's warnings, once when it takes effect (see `ConfigState.warnings`). */
  private logWarnings(state: ConfigState): void {
    for (const warning of state.warnings)
      this.options.logger?.warn({ path: warning.path }, `configuration: ${warning.path}: ${warning.message}`);
  }

  private async persist(document: Document): Promise<void> {
    if (!this.options.persist) return;
    const text = document.toString();
    const target = this.state.configPath;
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
    await writeFile(temp, text, "utf8");
    this.activeText = text;
    await rename(temp, target);
  }
}
