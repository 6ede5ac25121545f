import type { FieldStatesResult } from "@portico/protocol";
import { html, LitElement, nothing } from "lit";
import type { Formatters } from "../format/formatters.js";
import type { Translate } from "../i18n/strings.js";
import { sharedStyles } from "../styles/shared-styles.js";
import { fire } from "./events.js";
import { listboxStyles } from "./portico-listbox.styles.js";

/** Keys typed within this time of each other make one type-ahead word. */
export const TYPE_AHEAD_MS = 500;

/**
 * One field of a filter pane: its values in the associative colours (selected green, possible white,
 * alternative light grey, excluded grey). A WAI-ARIA multi-select listbox: arrows move, Space or Enter
 * toggle, Home and End jump, typing a value's first letters moves to it.
 */
export class PorticoListbox extends LitElement {
  static override styles = [sharedStyles, listboxStyles];
  static override properties = {
    result: { attribute: false },
    fmt: { attribute: false },
    t: { attribute: false },
    disabled: { type: Boolean, reflect: true },
    active: { state: true },
  };

  /** The field's values and states under the current selections. */
  declare result: FieldStatesResult | undefined;
  declare fmt: Formatters;
  declare t: Translate;
  /** No selections possible (`noselections` / `nointeraction`). */
  declare disabled: boolean;
  /** Index of the keyboard-active option. */
  declare active: number;

  constructor() {
    super();
    this.disabled = false;
    this.active = 0;
  }

  override render() {
    const r = this.result;
    if (!r) return nothing;
    const id = (i: number) => `opt-${i}`;
    const hasSelection = r.values.some((v) => v.state === "selected");
    return html`<div class="header">
        <span id="label">${r.field}</span>
        ${
          hasSelection && !this.disabled
            ? html`<button
              class="icon-button"
              aria-label=${this.t("clearField", { field: r.field })}
              title=${this.t("clearSelection")}
              @click=${() => fire(this, "portico-clear", { field: r.field })}
            >
              ✕
            </button>`
            : nothing
        }
      </div>
      <div
        role="listbox"
        tabindex="0"
        aria-multiselectable="true"
        aria-labelledby="label"
        aria-disabled=${this.disabled ? "true" : "false"}
        aria-activedescendant=${r.values.length > 0 ? id(this.active) : nothing}
        @keydown=${this.#onKey}
      >
        ${r.values.map(
          (v, i) => html`<div
            id=${id(i)}
            role="option"
            data-state=${v.state}
            class=${i === this.active ? "active" : ""}
            aria-selected=${v.state === "selected" ? "true" : "false"}
            @click=${() => this.#toggle(i)}
          >
            <span>${v.value === null ? "–" : this.fmt.dimension(v.text, r.type)}</span>
            <span class="freq">${v.frequency > 0 ? this.fmt.measure(v.frequency) : ""}</span>
          </div>`,
        )}
      </div>`;
  }

  /** What the visitor has typed in a row for type-ahead, and when (the event's time stamp, ms). */
  #typed = { text: "", at: Number.NEGATIVE_INFINITY };

  /**
   * The option type-ahead lands on: the next one (after the active one, wrapping) whose text starts with
   * what was typed within TYPE_AHEAD_MS; typing one letter again steps through the values that start with it.
   */
  #typeAhead(key: string, at: number): number | undefined {
    const r = this.result;
    if (!r) return undefined;
    const text = at - this.#typed.at > TYPE_AHEAD_MS ? key : this.#typed.text + key;
    this.#typed = { text, at };
    const wanted = text.toLocaleLowerCase();
    const repeated = [...wanted].every((c) => c === wanted[0]);
    const count = r.values.length;
    const start = wanted.length === 1 || repeated ? this.active + 1 : this.active;
    for (let step = 0; step < count; step++) {
      const i = (start + step) % count;
      const v = r.values[i];
      const label = v?.value === null ? "" : this.fmt.dimension(v?.text ?? "", r.type).toLocaleLowerCase();
      if (label.startsWith(repeated ? (wanted[0] ?? "") : wanted)) return i;
    }
    return undefined;
  }

  #toggle(index: number): void {
    this.active = index;
    const value = this.result?.values[index];
    if (this.disabled || !value || value.value === null || !this.result) return;
    fire(this, "portico-select", { field: this.result.field, value: value.value });
  }

  #onKey = (event: KeyboardEvent): void => {
    const count = this.result?.values.length ?? 0;
    if (count === 0) return;
    const move = (to: number) => {
      event.preventDefault();
      this.active = Math.max(0, Math.min(count - 1, to));
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector(".active")?.scrollIntoView({ block: "nearest" }),
      );
    };
    switch (event.key) {
      case "ArrowDown":
        move(this.active + 1);
        return;
      case "ArrowUp":
        move(this.active - 1);
        return;
      case "Home":
        move(0);
        return;
      case "End":
        move(count - 1);
        return;
      case "Enter":
      case " ":
        event.preventDefault();
        this.#toggle(this.active);
        return;
    }
    if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const found = this.#typeAhead(event.key, event.timeStamp);
      if (found !== undefined) move(found);
    }
  };
}
