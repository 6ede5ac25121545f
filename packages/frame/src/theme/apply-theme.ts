import type { Theme, ThemeName } from "@portico/protocol";

/**
 * Applies a theme to the document: the base name picks the light or dark token set (`data-theme`; the
 * page's `theme.css` sets `color-scheme` from it), and host overrides are set as custom properties through
 * CSSOM, which a strict CSP allows (no style attribute markup is parsed). Tokens from an earlier
 * `setTheme` are removed first, so themes do not pile up. Nothing already in place is written again: the
 * embed page comes with `data-theme="light"`, and writing that attribute again would make the boot code
 * wait for the browser's style work on it in front of its session request.
 */
export function applyTheme(root: HTMLElement, theme: Theme): ThemeName {
  const base = typeof theme === "string" ? theme : theme.base;
  if (root.dataset.theme !== base) root.dataset.theme = base;
  const previous = root.dataset.themeTokens?.split(" ").filter(Boolean) ?? [];
  for (const name of previous) root.style.removeProperty(name);
  const tokens = typeof theme === "string" ? {} : (theme.tokens ?? {});
  for (const [name, value] of Object.entries(tokens)) root.style.setProperty(name, value);
  const names = Object.keys(tokens).join(" ");
  if ((root.dataset.themeTokens ?? "") !== names) root.dataset.themeTokens = names;
  return base;
}
