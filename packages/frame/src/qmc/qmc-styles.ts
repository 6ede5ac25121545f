import { css } from "lit";

/** The console's forms, lists and action bar, on the frame's theme tokens. */
export const qmcStyles = css`
  :host {
    display: block;
  }
  h2 {
    font-size: 20px;
    margin: 0 0 12px;
  }
  h3 {
    font-size: 16px;
    margin: 16px 0 8px;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    background: var(--portico-surface);
    border: 1px solid var(--portico-border);
    border-radius: var(--portico-radius);
    font-size: 14px;
    margin-bottom: 16px;
  }
  th,
  td {
    text-align: left;
    padding: 8px 10px;
    border-bottom: 1px solid var(--portico-grid);
    vertical-align: top;
  }
  th {
    font-weight: 600;
    color: var(--portico-muted);
    background: var(--portico-surface-alt);
  }
  .panel {
    background: var(--portico-surface);
    border: 1px solid var(--portico-border);
    border-radius: var(--portico-radius-lg);
    padding: 16px;
    margin-bottom: 16px;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 4px;
    margin-bottom: 12px;
    max-width: 640px;
  }
  .field > label,
  fieldset > legend {
    font-size: 13px;
    font-weight: 600;
  }
  fieldset {
    border: 1px solid var(--portico-border);
    border-radius: var(--portico-radius);
    padding: 8px 12px;
    margin: 0 0 12px;
    max-width: 640px;
  }
  /* A checkbox's or radio's own label, not the label above a field that sits in a fieldset. */
  fieldset > label,
  fieldset > .toolbar > label {
    display: inline-flex;
    gap: 6px;
    align-items: center;
    margin-right: 16px;
    font-size: 14px;
    /* Rows of checkboxes keep WCAG 2.5.8's 24 px target spacing when they wrap. */
    min-height: 32px;
  }
  input[type="checkbox"],
  input[type="radio"] {
    width: 18px;
    height: 18px;
    margin: 0;
  }
  input[type="text"],
  input[type="number"],
  input[type="password"],
  select,
  textarea {
    font: inherit;
    padding: 6px 8px;
    border: 1px solid var(--portico-border-strong);
    border-radius: var(--portico-radius);
    background: var(--portico-surface);
    color: var(--portico-text);
    /* One height for text fields and selects, so the fields of a row line up. */
    box-sizing: border-box;
    min-height: 36px;
  }
  textarea {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    min-height: 72px;
  }
  meter {
    width: 100%;
    max-width: 640px;
    height: 16px;
  }
  .help {
    font-size: 12px;
    color: var(--portico-muted);
  }
  .field-error,
  .error {
    color: var(--portico-danger);
    font-size: 13px;
    white-space: pre-wrap;
    margin: 0;
  }
  input:disabled,
  select:disabled,
  textarea:disabled {
    background: var(--portico-surface-alt);
    color: var(--portico-muted);
  }
  pre.field-error {
    max-width: 640px;
    margin: 0 0 12px;
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    background: var(--portico-danger-soft);
    padding: 6px 8px;
    border-radius: var(--portico-radius);
  }
  .success {
    color: var(--portico-selected);
    font-weight: 600;
  }
  .action-bar {
    position: sticky;
    bottom: 0;
    display: flex;
    gap: 8px;
    align-items: center;
    flex-wrap: wrap;
    padding: 12px 0;
    background: var(--portico-bg);
    border-top: 1px solid var(--portico-border);
    margin-top: 12px;
  }
  .toolbar {
    display: flex;
    gap: 8px;
    align-items: center;
    flex-wrap: wrap;
    margin-bottom: 12px;
  }
  /* A rule's four buttons two by two where the table has the room, rather than one under another. */
  @media (min-width: 1100px) {
    .rule-buttons {
      display: grid;
      grid-template-columns: repeat(2, max-content);
      margin-bottom: 0;
    }
  }
  .note {
    font-size: 13px;
    color: var(--portico-muted);
  }
  .warning {
    margin: 4px 0 0;
    max-width: 60ch;
    font-size: 13px;
    padding: 4px 8px;
    border-left: 3px solid var(--portico-danger);
    background: var(--portico-danger-soft);
  }
  .badge {
    display: inline-block;
    font-size: 12px;
    padding: 1px 8px;
    border-radius: 999px;
    background: var(--portico-surface-alt);
    border: 1px solid var(--portico-border);
    /* A pill reads as one word; "Nicht bestanden" broken in two looks like two badges. */
    white-space: nowrap;
  }
  .badge.pass {
    background: var(--portico-selected);
    color: var(--portico-on-selected);
    border-color: var(--portico-selected);
  }
  .badge.fail {
    background: var(--portico-danger);
    color: #fff;
    border-color: var(--portico-danger);
  }
  .button {
    padding: 6px 12px;
    font-size: 14px;
  }
  .row {
    display: flex;
    gap: 8px;
    align-items: end;
    flex-wrap: wrap;
    margin-bottom: 8px;
  }
  .row .field {
    margin-bottom: 0;
  }
  a {
    color: var(--portico-link);
  }
  /* A GUID or a page address breaks anywhere rather than widening its table at 768 px. */
  .anywhere {
    overflow-wrap: anywhere;
  }
`;

/** The start page's tiles. */
export const tileStyles = css`
  .tiles {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
    gap: 12px;
  }
  .tile {
    display: flex;
    flex-direction: column;
    gap: 6px;
    padding: 16px;
    background: var(--portico-surface);
    border: 1px solid var(--portico-border);
    border-radius: var(--portico-radius-lg);
    color: var(--portico-text);
    text-decoration: none;
    font-weight: 600;
  }
  .tile:hover {
    background: var(--portico-hover);
  }
  .tile-count {
    font-size: 28px;
    color: var(--portico-accent);
  }
`;
