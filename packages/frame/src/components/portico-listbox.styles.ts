import { css } from "lit";

export const listboxStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    border: 1px solid var(--portico-border);
    border-radius: var(--portico-radius);
    overflow: hidden;
    font-size: 13px;
  }
  .header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    padding: 4px 4px 4px 8px;
    font-weight: 600;
    background: var(--portico-surface-alt);
    border-bottom: 1px solid var(--portico-border);
  }
  [role="listbox"] {
    flex: 1;
    overflow: auto;
    min-height: 0;
    outline: none;
  }
  [role="option"] {
    display: flex;
    justify-content: space-between;
    gap: 8px;
    padding: 4px 8px;
    border-bottom: 1px solid var(--portico-grid);
    cursor: pointer;
    user-select: none;
  }
  [role="option"][data-state="possible"] {
    background: var(--portico-possible);
    color: var(--portico-on-possible);
  }
  [role="option"][data-state="selected"] {
    background: var(--portico-selected);
    color: var(--portico-on-selected);
  }
  /* Second cues besides the colours (aria-selected tells a screen reader): a tick on a selected value, a
     line through an excluded one. */
  [role="option"][data-state="selected"] > span:first-child::before {
    content: "✓ " / "";
  }
  [role="option"][data-state="excluded"] > span:first-child {
    text-decoration: line-through;
  }
  [role="option"][data-state="alternative"] {
    background: var(--portico-alternative);
    color: var(--portico-on-alternative);
  }
  [role="option"][data-state="excluded"] {
    background: var(--portico-excluded);
    color: var(--portico-on-excluded);
  }
  [role="listbox"]:focus-visible [role="option"].active {
    outline: 2px solid var(--portico-focus);
    outline-offset: -2px;
  }
  :host([disabled]) [role="option"] {
    cursor: default;
  }
  @media (forced-colors: active) {
    [role="option"][data-state="selected"] {
      forced-color-adjust: none;
      background: Highlight;
      color: HighlightText;
    }
    [role="option"][data-state="excluded"] {
      color: GrayText;
    }
  }
  .freq {
    font-variant-numeric: tabular-nums;
  }
`;
