import { css } from "lit";

export const objectStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-width: 0;
    min-height: 0;
    background: var(--portico-surface);
    border: 1px solid var(--portico-border);
    border-radius: var(--portico-radius-lg);
    box-shadow: var(--portico-shadow);
    padding: 10px 12px 12px;
    position: relative;
  }
  header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    min-height: 22px;
    margin-bottom: 6px;
  }
  h2 {
    margin: 0;
    font-size: 14px;
    font-weight: 600;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  /* The title takes the room: the buttons after it (Show as table, the menu) sit together at the end. */
  header h2 {
    flex: 1;
    min-width: 0;
  }
  .body {
    position: relative;
    flex: 1;
    min-height: 0;
    min-width: 0;
  }
  .filterpane {
    display: flex;
    flex-direction: column;
    gap: 8px;
    height: 100%;
  }
  .filterpane portico-listbox {
    flex: 1;
  }
  .kpi {
    display: flex;
    height: 100%;
    align-items: center;
    justify-content: space-around;
    gap: 12px;
    text-align: center;
  }
  .kpi-value {
    font-weight: 650;
    letter-spacing: -0.02em;
    color: var(--portico-kpi);
    font-variant-numeric: tabular-nums;
    line-height: 1.1;
  }
  .kpi-label {
    color: var(--portico-muted);
    font-size: 12px;
  }
  .text {
    margin: 0;
    white-space: pre-wrap;
    line-height: 1.5;
    font-size: 14px;
    overflow: auto;
    height: 100%;
  }
  .message {
    display: grid;
    place-items: center;
    height: 100%;
    color: var(--portico-muted);
    font-size: 13px;
    text-align: center;
  }
  .message.error {
    color: var(--portico-danger);
  }
  .tooltip {
    position: absolute;
    pointer-events: none;
    background: var(--portico-tooltip-bg);
    color: var(--portico-tooltip-text);
    padding: 6px 8px;
    border-radius: 6px;
    font-size: 12px;
    line-height: 1.4;
    white-space: nowrap;
    transform: translate(-50%, calc(-100% - 10px));
    box-shadow: 0 4px 14px rgb(0 0 0 / 0.18);
    z-index: 2;
  }
  .tooltip strong {
    display: block;
  }
  .menu {
    position: absolute;
    right: 8px;
    top: 34px;
    background: var(--portico-surface);
    border: 1px solid var(--portico-border);
    border-radius: var(--portico-radius);
    box-shadow: 0 6px 20px rgb(0 0 0 / 0.15);
    z-index: 3;
    padding: 4px;
    display: flex;
    flex-direction: column;
    min-width: 180px;
  }
  .menu button {
    border: 0;
    background: transparent;
    text-align: left;
    padding: 6px 10px;
    border-radius: 4px;
    font-size: 13px;
  }
  .menu button:hover,
  .menu button:focus-visible {
    background: var(--portico-hover);
  }
  :host([nointeraction]) .body {
    pointer-events: none;
  }
`;
