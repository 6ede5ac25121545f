import {
  encodeEmbedParams,
  FRAME_OPTIONS,
  type FrameOption,
  isFrameOption,
  isLocale,
  isSelections,
  isTheme,
  isViewKind,
  type Selections,
  THEME_NAMES,
  type Theme,
  VIEW_KINDS,
  type ViewKind,
} from "@portico/protocol";
import type { ResolvedClientOptions } from "./client-options.js";
import { EmbedError } from "./embed-error.js";

export interface EmbedOptions {
  /** The app id. Required for the sheet and object views. */
  app?: string;
  /** The sheet id to open (sheet view). */
  sheet?: string;
  /** One object id (object view). */
  object?: string;
  /** `sheet` (default), `object` (default when `object` is set) or `hub` (the visitor's readable apps). */
  view?: ViewKind;
  /** Selections to apply when the view opens: field name -> values. */
  selections?: Selections;
  /** `light`, `dark`, or a base with `--portico-*` token overrides. */
  theme?: Theme;
  /** A BCP 47 locale for numbers, dates and UI strings (`en`, `de-DE`). */
  locale?: string;
  /** Let the iframe's height follow its content. */
  autoResize?: boolean;
  /** The hub's single-object options (`noselections`, `nointeraction`, `currsel`, `ctxmenu`). */
  opt?: FrameOption[];
  /** The iframe's accessible title. */
  title?: string;
}

export interface ResolvedEmbedOptions {
  view: ViewKind;
  app: string | undefined;
  sheet: string | undefined;
  object: string | undefined;
  selections?: Selections;
  theme?: Theme;
  locale?: string;
  autoResize: boolean;
  opt?: FrameOption[];
  title: string;
}

export const DEFAULT_TITLE = "Portico dashboard";

const isString = (value: unknown) => typeof value === "string";
/** An id may also be `null` or `""` (an absent attribute): no id. */
const isId = (value: unknown) => value === null || isString(value);
const list = (values: readonly string[]) => values.join(", ");

/** Every optional setting with its guard and what it must be, so each mistake names the option. */
const CHECKS: [keyof EmbedOptions, (value: unknown) => boolean, string][] = [
  ["app", isId, "a string id"],
  ["sheet", isId, "a string id"],
  ["object", isId, "a string id"],
  ["view", isViewKind, `one of ${list(VIEW_KINDS)}`],
  ["selections", isSelections, "{field: [strings or numbers]}"],
  ["theme", isTheme, `${list(THEME_NAMES)}, or {base, tokens: {"--portico-*": value}}`],
  ["locale", isLocale, 'a BCP 47 tag like "de-DE"'],
  ["opt", (value) => Array.isArray(value) && value.every(isFrameOption), `a list of ${list(FRAME_OPTIONS)}`],
  ["title", isString, "a string"],
];

/** Validates `embed()` options: a wrong combination throws a precise `MISCONFIGURED` error. */
export function resolveEmbedOptions(options: EmbedOptions): ResolvedEmbedOptions {
  const misconfigured = (message: string) => new EmbedError("MISCONFIGURED", `embed: ${message}`);
  if (typeof options !== "object" || options === null) throw misconfigured("options must be an object");
  for (const [key, valid, expected] of CHECKS) {
    const value = options[key];
    if (value !== undefined && !valid(value)) throw misconfigured(`"${key}" must be ${expected}`);
  }
  // An empty id is no id (an attribute set to "").
  const app = options.app || undefined;
  const sheet = options.sheet || undefined;
  const object = options.object || undefined;
  const view: ViewKind = options.view ?? (object ? "object" : "sheet");
  const needed = view === "sheet" ? sheet : object;
  const got = (name: string, value: string | undefined) => (value ? `${name} "${value}"` : `no ${name}`);
  if (view !== "hub" && (!app || !needed))
    throw misconfigured(
      `a ${view} view needs "app" and "${view}" (got ${got("app", app)} and ${got(view, needed)}); or set view "hub"`,
    );
  return {
    ...options,
    view,
    app,
    sheet,
    object,
    autoResize: options.autoResize === true,
    title: options.title || DEFAULT_TITLE,
  };
}

/**
 * The frame's URL. It carries what to show and the page's origin as a hint; never a ticket, because URLs
 * end up in logs, history and Referer headers, and a ticket is a credential.
 */
export function embedUrl(
  client: ResolvedClientOptions,
  options: ResolvedEmbedOptions,
  pageOrigin: string,
): string {
  const { theme } = options;
  const query = encodeEmbedParams({
    ...options,
    theme: typeof theme === "object" ? theme.base : theme,
    origin: pageOrigin,
  });
  return `${client.server}${client.proxyBase}/embed?${query}`;
}
