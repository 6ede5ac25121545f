import { css } from "lit";

/**
 * The advanced *Conditions* field: a textarea with transparent text over a highlighted copy in the same
 * grid cell, both with the same font, padding, border and wrapping, so every character of the copy sits
 * under the one typed. The copy sets the height (the field grows with its text), so nothing scrolls apart.
 * Token colours are the chart series colours, which keep 4.5:1 against the surface in both themes.
 */
export const conditionStyles = css`
  .code-field {
    display: grid;
  }
  .code-field > * {
    grid-area: 1 / 1;
    margin: 0;
    min-height: 72px;
    padding: 6px 8px;
    border: 1px solid var(--portico-border-strong);
    border-radius: var(--portico-radius);
    font: 14px / 1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    letter-spacing: normal;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    tab-size: 4;
    box-sizing: border-box;
  }
  .code-highlight {
    background: var(--portico-surface);
    color: var(--portico-text);
  }
  textarea.code-input {
    background: transparent;
    color: transparent;
    caret-color: var(--portico-text);
    resize: none;
    overflow: hidden;
  }
  textarea.code-input:disabled {
    background: transparent;
  }
  .code-field:has(textarea:disabled) .code-highlight {
    background: var(--portico-surface-alt);
  }
  textarea.code-input[aria-invalid="true"] {
    border-color: var(--portico-danger);
  }
  .tok-property {
    color: var(--portico-series-7);
  }
  .tok-function {
    color: var(--portico-series-5);
    font-weight: 600;
  }
  .tok-string {
    color: var(--portico-series-3);
  }
  .tok-keyword,
  .tok-operator {
    color: var(--portico-series-2);
    font-weight: 600;
  }
  .error-at {
    background: var(--portico-danger-soft);
    text-decoration: underline wavy var(--portico-danger);
    text-decoration-skip-ink: none;
    outline: 1px solid var(--portico-danger);
  }
  .condition-check .field-error {
    margin-top: 4px;
  }
  .caret-excerpt {
    margin: 2px 0 0;
    padding: 4px 8px;
    font: 13px / 1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    color: var(--portico-danger);
    background: var(--portico-danger-soft);
    border-radius: var(--portico-radius);
    overflow-x: auto;
  }
`;
