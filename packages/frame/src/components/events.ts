import type { SelectionValue, SortRequest } from "@portico/protocol";

/** A visitor's click or key on a value: toggle it in the field's selection. */
export interface SelectDetail {
  field: string;
  value: SelectionValue;
}

export interface ClearDetail {
  /** Absent: clear every field. */
  field?: string;
}

export interface TableChangeDetail {
  objectId: string;
  sort?: SortRequest;
  offset: number;
}

export interface ExportDetail {
  objectId: string;
}

declare global {
  interface HTMLElementEventMap {
    "portico-select": CustomEvent<SelectDetail>;
    "portico-clear": CustomEvent<ClearDetail>;
    "portico-table-change": CustomEvent<TableChangeDetail>;
    "portico-export": CustomEvent<ExportDetail>;
  }
}

/** Events bubble and are composed so the root hears them through every shadow boundary. */
export function fire<T>(from: EventTarget, type: keyof HTMLElementEventMap, detail: T): void {
  from.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
}

export interface OpenSheetDetail {
  app: string;
  sheet: string;
}

declare global {
  interface HTMLElementEventMap {
    "portico-open-sheet": CustomEvent<OpenSheetDetail>;
    "portico-retry": CustomEvent<undefined>;
  }
}
