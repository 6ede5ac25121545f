import { css } from "@lit/reactive-element";

export const porticoEmbedStyles = css`
  :host {
    display: block;
    position: relative;
    height: 480px;
  }
  :host([auto-resize]) {
    height: auto;
  }
  :host([hidden]) {
    display: none;
  }
  .frame {
    height: 100%;
  }
  .frame[hidden] {
    display: none;
  }
  .error {
    box-sizing: border-box;
    margin: 0;
    padding: 12px 16px;
    border: 1px solid #e3b4b4;
    border-radius: 4px;
    background: #fdf3f3;
    color: #7a1f1f;
    font: 14px/1.4 system-ui, sans-serif;
  }
  .error[hidden] {
    display: none;
  }
`;
