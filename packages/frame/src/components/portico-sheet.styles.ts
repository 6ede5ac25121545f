import { css } from "lit";

export const sheetStyles = css`
  :host {
    display: block;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(24, minmax(0, 1fr));
    grid-auto-rows: var(--portico-row-height);
    gap: var(--portico-gap);
  }
  /* Object view: the one object takes the whole sheet, which fills the frame. */
  :host([single]) {
    height: 100%;
  }
  :host([single]) .grid {
    height: 100%;
    grid-template-rows: minmax(0, 1fr);
  }
  /* One column under 600 px: objects stack in reading order, each keeping its height. */
  @media (max-width: 599px) {
    .grid {
      grid-template-columns: minmax(0, 1fr);
    }
    :host(:not([single])) .grid > * {
      grid-column: 1 / -1 !important;
      grid-row: auto / span var(--rows) !important;
    }
  }
`;
