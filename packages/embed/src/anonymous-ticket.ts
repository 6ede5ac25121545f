import { isRpcFailure } from "@portico/protocol";
import type { ResolvedClientOptions } from "./client-options.js";
import { EmbedError } from "./embed-error.js";

/**
 * A one-time anonymous ticket from `POST {server}/{proxy}/api/v1/tickets/anonymous`.
 *
 * The request is a CORS "simple" request (POST without a body or custom headers), so it costs no
 * preflight round trip, and it sends no cookies (`credentials: "omit"`): nothing here depends on
 * third-party cookies, which browsers block. The ticket is bound by the server to this page's Origin.
 */
export async function fetchAnonymousTicket(
  client: ResolvedClientOptions,
  pageOrigin: string,
  fetchImpl: typeof fetch = fetch,
  onResume?: (credential: string) => void,
): Promise<string> {
  const { server } = client;
  // With `onResume`, the ticket is for an identity the page can come back to: its credential comes along.
  const url = `${server}${client.proxyBase}/api/v1/tickets/anonymous${onResume ? "?resume=1" : ""}`;
  const init: RequestInit = { credentials: "omit", cache: "no-store" };
  let response: Response;
  try {
    // The page's URL, as much of it as `pageUrl` allows, in a text/plain body: still a simple request.
    const page = pageUrlOf(client.pageUrl);
    response = await fetchImpl(url, {
      ...init,
      method: "POST",
      ...(page ? { body: JSON.stringify({ pageUrl: page }) } : {}),
    });
  } catch {
    // A CORS refusal and an unreachable server look the same to a page (a `TypeError`, no status). A
    // `no-cors` request tells them apart without reading anything: it succeeds when the server answers at
    // all, so the refusal was about this page's origin.
    throw await fetchImpl(`${server}/healthz`, { ...init, mode: "no-cors" }).then(
      () =>
        new EmbedError(
          "ORIGIN_NOT_ALLOWED",
          `${pageOrigin} is not on the host allow list of proxy "${client.proxy}" on ${server}`,
        ),
      () => new EmbedError("UNAVAILABLE", `${server} cannot be reached`),
    );
  }
  const body = (await response.json().catch(() => undefined)) as
    | { ticket?: unknown; error?: unknown; resume?: unknown }
    | undefined;
  // The server's `{"error": {code, message}}` when well-formed, else what the status says.
  const error = body?.error;
  if (!response.ok)
    throw isRpcFailure(error)
      ? new EmbedError(error.code, error.message)
      : new EmbedError(
          response.status === 404 ? "PROXY_NOT_FOUND" : "UNAVAILABLE",
          `${url} answered HTTP ${response.status}`,
        );
  const ticket = body?.ticket;
  if (typeof ticket !== "string" || ticket === "")
    throw new EmbedError("TICKET_INVALID", `${url} answered without a ticket`);
  if (typeof body?.resume === "string") onResume?.(body.resume);
  return ticket;
}

/** What the visit log may keep of this page's URL: `full` (without the fragment), `path`, `origin`, `none`. */
export function pageUrlOf(mode: ResolvedClientOptions["pageUrl"]): string | undefined {
  if (mode === "none") return undefined;
  const { origin, pathname, search } = location;
  return origin + (mode === "origin" ? "" : pathname + (mode === "full" ? search : ""));
}
