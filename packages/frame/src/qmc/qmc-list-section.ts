import type { Section } from "./qmc-api.js";
import { QmcSection } from "./qmc-section.js";

/**
 * A section that edits one configuration list (`apps`, `streams`, `virtualProxies`): the list with the
 * version it was read at, the item open in the editor, and every change written as the whole list over
 * that version (so an edit made elsewhere since is refused, never overwritten).
 */
export abstract class QmcListSection<T> extends QmcSection {
  static override properties = { ...QmcSection.properties, data: { state: true }, editing: { state: true } };
  declare data: Section<T[]> | undefined;
  /** The item open in the editor (`index` -1: a new one, not yet applied) and its draft. */
  declare editing: { index: number; draft: T } | undefined;
  /** The configuration section the list is. */
  protected abstract readonly sectionName: string;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  protected async load(): Promise<void> {
    this.data = await this.api.section<T[]>(this.sectionName);
  }

  /** Opens a copy of item `index`, or `blank` as a new item. */
  protected open(index: number, blank?: T): void {
    const item = this.data?.value[index];
    const draft = item === undefined ? blank : structuredClone(item);
    if (draft === undefined) return;
    this.succeeded = false;
    this.failure = undefined;
    this.editing = { index: item === undefined ? -1 : index, draft };
  }

  /**
   * Applies the open draft, or with `remove` deletes its item. A new item stays open as the list's last
   * one; a deleted one closes the editor. True when applied.
   */
  protected async applyDraft(remove = false): Promise<boolean> {
    const editing = this.editing;
    const data = this.data;
    if (!editing || !data) return false;
    const { index, draft } = editing;
    const list = remove
      ? data.value.filter((_, i) => i !== index)
      : index < 0
        ? [...data.value, draft]
        : data.value.map((item, i) => (i === index ? draft : item));
    const ok = await this.change(async () => {
      this.data = await this.api.putSection(this.sectionName, list, data.version);
    });
    if (ok && remove) this.editing = undefined;
    else if (ok && index < 0) this.editing = { index: list.length - 1, draft };
    return ok;
  }
}
