/** Wait this long after the last size change before reporting (a chart re-layout settles within it). */
export const RESIZE_DEBOUNCE_MS = 80;

/**
 * Reports the content size of `target` to the host, debounced and only when it changed by a whole pixel.
 * No feedback loop: the host sets the iframe's height from the report, and the frame's content never sizes
 * itself from the viewport height (no `vh`, no `height: 100%` on the root), so the new height is reported
 * once and then stays put. The one exception, an object view, fills the viewport: its report is the height
 * it was given, and the SDK sizes such a frame by an aspect ratio instead of by reports.
 */
export function reportSize(
  target: Element,
  send: (size: { width: number; height: number }) => void,
  debounceMs = RESIZE_DEBOUNCE_MS,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = { width: -1, height: -1 };
  const observer = new ResizeObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const rect = target.getBoundingClientRect();
      const size = { width: Math.ceil(rect.width), height: Math.ceil(rect.height) };
      if (size.width === last.width && size.height === last.height) return;
      last = size;
      send(size);
    }, debounceMs);
  });
  observer.observe(target);
  return () => {
    clearTimeout(timer);
    observer.disconnect();
  };
}
