import { isErrorCodeLike } from "@portico/protocol";
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
): Promise<string> {
  const url = `${client.server}${client.proxyBase}/api/v1/tickets/anonymous`;
  let response: Response;
  try {
    response = await fetchImpl(url, { method: "POST", credentials: "omit", cache: "no-store" });
  } catch {
    throw await explainRefusal(client, pageOrigin, fetchImpl);
  }
  const body = (await response.json().catch(() => undefined)) as
    | { ticket?: unknown; error?: { code?: unknown; message?: unknown } }
    | undefined;
  if (!response.ok) {
    const code = body?.error?.code;
    const message = body?.error?.message;
    if (isErrorCodeLike(code) && typeof message === "string") throw new EmbedError(code, message);
    throw new EmbedError(
      response.status === 404 ? "PROXY_NOT_FOUND" : "UNAVAILABLE",
      `${url} answered HTTP ${response.status}`,
    );
  }
  if (typeof body?.ticket !== "string" || body.ticket === "")
    throw new EmbedError("TICKET_INVALID", `${url} answered without a ticket`);
  return body.ticket;
}

/**
 * A CORS refusal and an unreachable server look the same to a page (a `TypeError`, no status). A
 * `no-cors` request tells them apart without reading anything: it succeeds when the server answers at
 * all, so the refusal was about this page's origin.
 */
async function explainRefusal(
  client: ResolvedClientOptions,
  pageOrigin: string,
  fetchImpl: typeof fetch,
): Promise<EmbedError> {
  try {
    await fetchImpl(`${client.server}/healthz`, { mode: "no-cors", credentials: "omit", cache: "no-store" });
  } catch {
    return new EmbedError("UNAVAILABLE", `${client.server} cannot be reached`);
  }
  return new EmbedError(
    "ORIGIN_NOT_ALLOWED",
    `${pageOrigin} is not on the host allow list of proxy "${client.proxy}" on ${client.server}`,
  );
}
