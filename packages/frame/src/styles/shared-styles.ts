import { css } from "lit";

/** Focus ring, buttons and screen-reader text, shared by every component's shadow root. */
export const sharedStyles = css`
  :host {
    box-sizing: border-box;
    font-family: var(--portico-font);
    color: var(--portico-text);
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--portico-focus);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  .button {
    border: 1px solid var(--portico-border);
    background: var(--portico-surface);
    border-radius: var(--portico-radius);
    padding: 4px 10px;
    font-size: 13px;
  }
  .button:hover {
    background: var(--portico-hover);
  }
  .button.primary {
    background: var(--portico-accent);
    border-color: var(--portico-accent);
    color: var(--portico-on-accent);
  }
  .icon-button {
    border: 0;
    background: transparent;
    border-radius: var(--portico-radius);
    padding: 2px 6px;
    line-height: 1;
    color: var(--portico-muted);
  }
  .icon-button:hover {
    background: var(--portico-hover);
    color: var(--portico-text);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

/** SVG chart marks, axes and labels. */
export const chartStyles = css`
  .chart {
    display: block;
    overflow: visible;
    font-size: 11px;
  }
  .axis-label,
  .legend-label,
  .pie-total-label {
    fill: var(--portico-muted);
    font-size: 11px;
  }
  .value-label {
    fill: var(--portico-text);
    font-size: 10px;
    pointer-events: none;
  }
  /* White labels on a mark of any series colour: a dark halo keeps them readable on the light colours of
     the dark theme's palette as well. */
  .value-label.inside,
  .slice-label {
    fill: #fff;
    font-weight: 600;
    paint-order: stroke;
    stroke: rgb(0 0 0 / 0.55);
    stroke-width: 3px;
    stroke-linejoin: round;
  }
  .slice-label {
    font-size: 11px;
    pointer-events: none;
  }
  .pie-total {
    fill: var(--portico-text);
    font-size: 16px;
    font-weight: 600;
  }
  .grid {
    stroke: var(--portico-grid);
    stroke-width: 1;
  }
  .baseline {
    stroke: var(--portico-border-strong);
  }
  .line {
    fill: none;
    stroke-width: 2;
  }
  .mark {
    transition: opacity 120ms;
    outline: none;
  }
  .mark.selectable {
    cursor: pointer;
  }
  .mark.selectable:hover {
    opacity: 0.8;
  }
  .mark.dim {
    opacity: 0.3;
  }
  /* Selection is not told by colour alone: a selected mark is outlined, an excluded one faded. */
  .mark.selected {
    stroke: var(--portico-text);
    stroke-width: 2;
  }
  .mark:focus-visible {
    stroke: var(--portico-focus);
    stroke-width: 2;
  }
  .slice {
    stroke: var(--portico-surface);
    stroke-width: 1;
  }
  .slice.selected {
    stroke: var(--portico-text);
    stroke-width: 2;
  }
  .chart-table {
    height: 100%;
    overflow: auto;
    font-size: 12px;
  }
  .chart-table table {
    border-collapse: collapse;
    width: 100%;
  }
  .chart-table caption {
    text-align: left;
    color: var(--portico-muted);
    padding-bottom: 4px;
  }
  .chart-table th,
  .chart-table td {
    text-align: left;
    padding: 3px 8px;
    border-bottom: 1px solid var(--portico-grid);
  }
  .chart-table th[scope="row"] {
    font-weight: normal;
  }
  .chart-table .num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  .chart-table tr.selected th {
    font-weight: 600;
  }
  @media (prefers-reduced-motion: reduce) {
    .mark {
      transition: none;
    }
  }
  /* Forced colours (Windows High Contrast): the data keeps its colours (the legend must still match), each
     mark gets an outline in the visitor's text colour, and selection and focus the system's highlight. */
  @media (forced-colors: active) {
    .mark {
      stroke: CanvasText;
      stroke-width: 1;
    }
    .mark.selected {
      stroke: Highlight;
      stroke-width: 3;
    }
    .mark:focus-visible {
      stroke: Highlight;
      stroke-width: 3;
      stroke-dasharray: 4 2;
    }
  }
`;
