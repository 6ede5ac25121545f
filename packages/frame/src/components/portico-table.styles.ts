import { css } from "lit";

export const tableStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    height: 100%;
    min-height: 0;
    font-size: 13px;
    container-type: inline-size;
  }
  /* A shade at each edge that has more columns to scroll to: the covers scroll with the table and hide
     the shade once its edge is reached. */
  .scroll {
    flex: 1;
    overflow: auto;
    min-height: 0;
    background:
      linear-gradient(to right, var(--portico-surface) 40%, transparent) left / 24px 100% no-repeat local,
      linear-gradient(to left, var(--portico-surface) 40%, transparent) right / 24px 100% no-repeat local,
      radial-gradient(
          farthest-side at 0 50%,
          color-mix(in srgb, var(--portico-text) 22%, transparent),
          transparent
        )
        left / 10px 100% no-repeat scroll,
      radial-gradient(
          farthest-side at 100% 50%,
          color-mix(in srgb, var(--portico-text) 22%, transparent),
          transparent
        )
        right / 10px 100% no-repeat scroll;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }
  th {
    position: sticky;
    top: 0;
    background: var(--portico-surface);
    text-align: left;
    font-weight: 600;
    border-bottom: 1px solid var(--portico-border-strong);
    padding: 0;
    white-space: nowrap;
  }
  th button {
    width: 100%;
    border: 0;
    background: transparent;
    padding: 6px 8px;
    text-align: inherit;
    font-weight: 600;
  }
  th.num,
  td.num {
    text-align: right;
  }
  td {
    padding: 5px 8px;
    border-bottom: 1px solid var(--portico-grid);
  }
  td.selectable {
    cursor: pointer;
  }
  td.selectable:hover {
    background: var(--portico-hover);
  }
  td.selected {
    background: var(--portico-selected);
    color: var(--portico-on-selected);
  }
  /* A second cue besides the colour (aria-selected tells a screen reader). */
  td.selected::before {
    content: "✓ " / "";
  }
  td:focus-visible {
    outline-offset: -2px;
  }
  @media (forced-colors: active) {
    td.selected {
      forced-color-adjust: none;
      background: Highlight;
      color: HighlightText;
    }
  }
  tr.others td,
  tfoot td {
    font-weight: 600;
  }
  .arrow {
    color: var(--portico-muted);
    margin-left: 4px;
  }
  td.num {
    white-space: nowrap;
  }
  /* A narrow card (a phone's one column): tighter cells, and headers that wrap at their spaces instead of
     widening their column, so a few columns fit without scrolling sideways and none is cut off. */
  @container (max-width: 480px) {
    table {
      font-size: 12px;
    }
    th {
      white-space: normal;
      vertical-align: bottom;
    }
    th button {
      padding: 6px 4px;
    }
    td {
      padding: 5px 4px;
    }
  }
  .pager {
    display: flex;
    gap: 8px;
    align-items: center;
    justify-content: flex-end;
    padding: 6px 4px 0;
    color: var(--portico-muted);
    font-size: 12px;
  }
`;
