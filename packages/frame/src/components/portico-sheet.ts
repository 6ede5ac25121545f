import type { QueryResult, Selections, SheetObjectDef, SortRequest } from "@portico/protocol";
import { html, LitElement } from "lit";
import { repeat } from "lit/directives/repeat.js";
import { styleMap } from "lit/directives/style-map.js";
import type { FrameError } from "../errors/frame-error.js";
import type { Formatters } from "../format/formatters.js";
import type { Translate } from "../i18n/strings.js";
import { sharedStyles } from "../styles/shared-styles.js";
import { sheetStyles } from "./portico-sheet.styles.js";

export type ResultLookup = (object: SheetObjectDef) => Array<QueryResult | FrameError | undefined>;

/** A sheet: its objects placed on the 24-column grid as configured (one column on narrow screens). */
export class PorticoSheet extends LitElement {
  static override styles = [sharedStyles, sheetStyles];
  static override properties = {
    objects: { attribute: false },
    resultsFor: { attribute: false },
    sortFor: { attribute: false },
    selections: { attribute: false },
    fmt: { attribute: false },
    t: { attribute: false },
    selectable: { type: Boolean },
    nointeraction: { type: Boolean },
    ctxmenu: { type: Boolean },
    single: { type: Boolean, reflect: true },
  };

  /** The objects to place. */
  declare objects: SheetObjectDef[];
  /** Results of one object (one per filter pane field). */
  declare resultsFor: ResultLookup;
  /** A table's sort. */
  declare sortFor: (objectId: string) => SortRequest | undefined;
  declare selections: Selections;
  declare fmt: Formatters;
  declare t: Translate;
  declare selectable: boolean;
  declare nointeraction: boolean;
  declare ctxmenu: boolean;
  /** Object view: the one object fills the sheet, whose height the frame's viewport gives. */
  declare single: boolean;

  constructor() {
    super();
    this.objects = [];
    this.resultsFor = () => [];
    this.sortFor = () => undefined;
    this.selections = {};
    this.selectable = true;
    this.nointeraction = false;
    this.ctxmenu = false;
    this.single = false;
  }

  override render() {
    const ordered = [...this.objects].sort(
      (a, b) => a.position.row - b.position.row || a.position.col - b.position.col,
    );
    return html`<div class="grid">
      ${repeat(
        ordered,
        (o) => o.id,
        (o) => {
          const p = o.position;
          const place = this.single
            ? { gridColumn: "1 / -1", gridRow: "1" }
            : {
                gridColumn: `${p.col + 1} / span ${Math.min(p.width, 24 - p.col)}`,
                gridRow: `${p.row + 1} / span ${p.height}`,
                "--rows": String(p.height),
              };
          return html`<portico-object
            data-object=${o.id}
            style=${styleMap(place)}
            .def=${o}
            .results=${this.resultsFor(o)}
            .selections=${this.selections}
            .sort=${this.sortFor(o.id)}
            .fmt=${this.fmt}
            .t=${this.t}
            .selectable=${this.selectable}
            ?nointeraction=${this.nointeraction}
            ?ctxmenu=${this.ctxmenu}
          ></portico-object>`;
        },
      )}
    </div>`;
  }
}
