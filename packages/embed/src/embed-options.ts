import {
  encodeEmbedParams,
  type FrameOption,
  isFrameOption,
  isLocale,
  isSelections,
  isTheme,
  isViewKind,
  type Selections,
  type Theme,
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
  selections: Selections | undefined;
  theme: Theme | undefined;
  locale: string | undefined;
  autoResize: boolean;
  opt: FrameOption[] | undefined;
  title: string;
}

export const DEFAULT_TITLE = "Portico dashboard";

function misconfigured(message: string): EmbedError {
  return new EmbedError("MISCONFIGURED", `embed: ${message}`);
}

function optionalId(options: EmbedOptions, key: "app" | "sheet" | "object"): string | undefined {
  const value = options[key];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw misconfigured(`"${key}" must be a string id`);
  return value;
}

/** Validates `embed()` options: a wrong combination throws a precise `MISCONFIGURED` error. */
export function resolveEmbedOptions(options: EmbedOptions): ResolvedEmbedOptions {
  if (typeof options !== "object" || options === null) throw misconfigured("options must be an object");
  const app = optionalId(options, "app");
  const sheet = optionalId(options, "sheet");
  const object = optionalId(options, "object");
  if (options.view !== undefined && !isViewKind(options.view))
    throw misconfigured(`"view" must be sheet, object or hub, got "${String(options.view)}"`);
  const view: ViewKind = options.view ?? (object ? "object" : "sheet");
  const got = (name: string, value: string | undefined) => (value ? `${name} "${value}"` : `no ${name}`);
  if (view === "sheet" && (!app || !sheet))
    throw misconfigured(
      `a sheet view needs "app" and "sheet" (got ${got("app", app)} and ${got("sheet", sheet)}); set "sheet", or "object" for a single object, or view "hub"`,
    );
  if (view === "object" && (!app || !object))
    throw misconfigured(
      `an object view needs "app" and "object" (got ${got("app", app)} and ${got("object", object)})`,
    );
  if (options.selections !== undefined && !isSelections(options.selections))
    throw misconfigured('"selections" must map field names to arrays of strings or numbers');
  if (options.theme !== undefined && !isTheme(options.theme))
    throw misconfigured('"theme" must be light, dark or {base, tokens: {"--portico-*": value}}');
  if (options.locale !== undefined && !isLocale(options.locale))
    throw misconfigured(`"locale" must be a BCP 47 tag like "de-DE", got "${String(options.locale)}"`);
  if (options.opt !== undefined && (!Array.isArray(options.opt) || !options.opt.every(isFrameOption)))
    throw misconfigured('"opt" may list noselections, nointeraction, currsel, ctxmenu');
  if (options.title !== undefined && typeof options.title !== "string")
    throw misconfigured('"title" must be a string');
  return {
    view,
    app,
    sheet,
    object,
    selections: options.selections,
    theme: options.theme,
    locale: options.locale,
    autoResize: options.autoResize === true,
    opt: options.opt,
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
  const query = encodeEmbedParams({
    app: options.app,
    sheet: options.sheet,
    object: options.object,
    view: options.view,
    theme: typeof options.theme === "object" ? options.theme.base : options.theme,
    locale: options.locale,
    opt: options.opt,
    selections: options.selections,
    origin: pageOrigin,
  });
  return `${client.server}${client.proxyBase}/embed?${query}`;
}
