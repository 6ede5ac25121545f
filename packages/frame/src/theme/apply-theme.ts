import type { Theme, ThemeName } from "@portico/protocol";

/**
 * Applies a theme to the document: the base name picks the light or dark token set (`data-theme`), and
 * host overrides are set as custom properties through CSSOM, which a strict CSP allows (no style attribute
 * markup is parsed). Tokens from an earlier `setTheme` are removed first, so themes do not pile up.
 */
export function applyTheme(root: HTMLElement, theme: Theme): ThemeName {
  const base = typeof theme === "string" ? theme : theme.base;
  root.dataset.theme = base;
  const previous = root.dataset.themeTokens?.split(" ").filter(Boolean) ?? [];
  for (const name of previous) root.style.removeProperty(name);
  const tokens = typeof theme === "string" ? {} : (theme.tokens ?? {});
  for (const [name, value] of Object.entries(tokens)) root.style.setProperty(name, value);
  root.dataset.themeTokens = Object.keys(tokens).join(" ");
  root.style.colorScheme = base;
  return base;
}
