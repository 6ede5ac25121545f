import { MAX_TIMEOUT_MS } from "@portico/protocol";
import { EmbedError } from "./embed-error.js";
import { DEFAULT_TIMEOUTS, type Timeouts } from "./timeouts.js";

/** Where a ticket comes from: the page's own backend (which calls the Ticket API), or a join ticket. */
export type GetTicket = () => Promise<string> | string;

export interface ClientOptions {
  /** The Portico server's URL, e.g. `https://portico.example.com` (a path prefix is kept). */
  server: string;
  /** The virtual proxy prefix (`anon`); empty or absent for the default proxy. */
  proxy?: string;
  /**
   * Returns a one-time ticket from the page's backend (identified users). Without it the SDK asks the
   * proxy's anonymous ticket endpoint, which only works on an `always` or `allow` proxy.
   */
  getTicket?: GetTicket;
  /** Overrides of the handshake, call and ticket timeouts (milliseconds). */
  timeouts?: Partial<Timeouts>;
  /**
   * Anonymous visitors: where the page keeps its way back to the visitor's session, so a reload or the
   * site's next page continues it instead of starting a new one: `tab` (default, sessionStorage),
   * `browser` (localStorage, other tabs too) or `off`.
   */
  resume?: ResumeMode;
  /**
   * How much of this page's URL the visit log gets: `path` (default: no query string or fragment, so no
   * tokens from the page's URL end up in the log), `full` (with the query string), `origin` or `none`.
   */
  pageUrl?: PageUrlMode;
}

/**
 * Where the page keeps its way back to its anonymous visitor's session: `tab` (sessionStorage: a reload or
 * the site's next page in the same tab), `browser` (localStorage: other tabs too), `off` (memory only: the
 * page can still say the visitor left, but a reload starts over).
 */
export type ResumeMode = "tab" | "browser" | "off";

export const RESUME_MODES: readonly ResumeMode[] = ["tab", "browser", "off"];

export type PageUrlMode = "full" | "path" | "origin" | "none";
const PAGE_URL_MODES: readonly PageUrlMode[] = ["full", "path", "origin", "none"];

export interface ResolvedClientOptions {
  /** Normalised server URL without a trailing slash. */
  server: string;
  /** The server's origin: the only origin the SDK talks to over postMessage. */
  serverOrigin: string;
  proxy: string;
  /** `/{proxy}` or `""`: the base of every URL on the proxy. */
  proxyBase: string;
  getTicket: GetTicket | undefined;
  timeouts: Timeouts;
  resume: ResumeMode;
  pageUrl: PageUrlMode;
}

const PROXY_PREFIX = /^[a-z0-9\-._~]*$/;
const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])$/;

/**
 * Validates `createClient` options against the page they run on (`pageUrl`, normally `location.href`).
 * Every mistake a web developer can make here is reported with what to change, never a blank frame.
 */
export function resolveClientOptions(options: ClientOptions, pageUrl: string): ResolvedClientOptions {
  const misconfigured = (message: string) => new EmbedError("MISCONFIGURED", `createClient: ${message}`);
  if (typeof options !== "object" || options === null) throw misconfigured("options must be an object");
  const {
    server,
    proxy = "",
    getTicket,
    timeouts = {},
    resume = "tab",
    pageUrl: pageUrlMode = "path",
  } = options;
  if (typeof server !== "string" || server.trim() === "") throw misconfigured('"server" is required');
  let url: URL | undefined;
  try {
    url = new URL(server.trim());
  } catch {
    // reported below
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash)
    throw misconfigured(
      `"server" must be an absolute http(s) URL without credentials, query or fragment, got "${server}"`,
    );
  // An https page cannot load an http frame (mixed content): the browser would show nothing at all.
  if (pageUrl.startsWith("https:") && url.protocol === "http:" && !LOOPBACK_HOST.test(url.hostname))
    throw new EmbedError(
      "INSECURE_SERVER",
      `createClient: "server" must be https on an https page (mixed content), got "${server}"`,
    );
  const prefix = typeof proxy === "string" ? proxy.replace(/^\/+|\/+$/g, "") : "/";
  if (!PROXY_PREFIX.test(prefix))
    throw misconfigured(`"proxy" must be a virtual proxy prefix (a-z 0-9 -._~), got "${String(proxy)}"`);
  if (getTicket !== undefined && typeof getTicket !== "function")
    throw misconfigured('"getTicket" must be a function');
  if (!RESUME_MODES.includes(resume))
    throw misconfigured(`"resume" must be one of ${RESUME_MODES}, got "${String(resume)}"`);
  if (!PAGE_URL_MODES.includes(pageUrlMode))
    throw misconfigured(`"pageUrl" must be one of ${PAGE_URL_MODES}, got "${String(pageUrlMode)}"`);
  const resolvedTimeouts = { ...DEFAULT_TIMEOUTS };
  for (const key of Object.keys(DEFAULT_TIMEOUTS) as (keyof Timeouts)[]) {
    const value = timeouts[key];
    if (value === undefined) continue;
    // A timer longer than a day would not even wait: setTimeout fires at once past 2^31 - 1 ms.
    if (typeof value !== "number" || !(value > 0 && value <= MAX_TIMEOUT_MS))
      throw misconfigured(`"timeouts.${key}" must be a positive number of ms, at most a day`);
    resolvedTimeouts[key] = value;
  }
  return {
    server: `${url.origin}${url.pathname.replace(/\/+$/, "")}`,
    serverOrigin: url.origin,
    proxy: prefix,
    proxyBase: prefix && `/${prefix}`,
    getTicket,
    timeouts: resolvedTimeouts,
    resume,
    pageUrl: pageUrlMode,
  };
}

/** One server and proxy: what a page's embeds share (one session, one shared client). */
export const clientKey = ({ server, proxy }: ResolvedClientOptions) => `${server}|${proxy}`;
