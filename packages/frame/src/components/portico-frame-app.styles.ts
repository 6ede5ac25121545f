import { css } from "lit";

export const frameAppStyles = css`
  :host {
    display: block;
    padding: var(--portico-padding);
  }
  .account {
    display: flex;
    align-items: center;
    justify-content: flex-end;
    gap: 12px;
    margin-bottom: 8px;
    font-size: 13px;
    color: var(--portico-muted);
  }
  .top {
    display: flex;
    align-items: center;
    gap: 12px;
    margin-bottom: 8px;
  }
  .top portico-selections-bar {
    flex: 1;
  }
  /* Over the top of the frame, not in the flow: a warning that comes and goes must not move the charts a
     visitor is looking at (nor change the height an auto-resizing host follows). */
  .banners {
    position: fixed;
    top: 8px;
    left: 50%;
    transform: translateX(-50%);
    z-index: 10;
    box-sizing: border-box;
    width: max-content;
    max-width: calc(100% - 16px);
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  .banner {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 12px;
    background: var(--portico-warning-soft);
    border: 1px solid var(--portico-warning);
    border-radius: var(--portico-radius);
    box-shadow: 0 4px 14px rgb(0 0 0 / 0.18);
    padding: 6px 10px;
    font-size: 13px;
  }
  .banner.offline {
    background: var(--portico-danger-soft);
    border-color: var(--portico-danger);
  }
  /* One object fills the frame, which the host sizes (an element's height, or an aspect ratio). */
  :host([single]) {
    box-sizing: border-box;
    height: 100vh;
    display: flex;
    flex-direction: column;
  }
  :host([single]) portico-sheet {
    flex: 1;
    min-height: 0;
  }
  .loading {
    display: grid;
    grid-template-columns: repeat(3, 1fr);
    gap: var(--portico-gap);
  }
  .skeleton {
    height: 160px;
    border-radius: var(--portico-radius-lg);
    background: linear-gradient(90deg, var(--portico-surface-alt), var(--portico-surface), var(--portico-surface-alt));
    background-size: 200% 100%;
    animation: shimmer 1.2s infinite linear;
  }
  @keyframes shimmer {
    to {
      background-position: -200% 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton {
      animation: none;
    }
  }
`;
