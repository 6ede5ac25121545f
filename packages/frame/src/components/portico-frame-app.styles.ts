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
  .banner {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 12px;
    background: var(--portico-warning-soft);
    border: 1px solid var(--portico-warning);
    border-radius: var(--portico-radius);
    padding: 6px 10px;
    margin-bottom: 8px;
    font-size: 13px;
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
