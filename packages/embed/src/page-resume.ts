import { pageUrlOf } from "./anonymous-ticket.js";
import type { ResolvedClientOptions, ResumeMode } from "./client-options.js";

/** The credential of each server+proxy, in memory (also the only copy when the mode is `off`). */
const credentials = new Map<string, string>();

/**
 * Runs `use` on the mode's storage under the page's key for `key`; storage that is blocked (a sandboxed
 * page, privacy settings) or full leaves memory as the only copy.
 */
function stored<T>(mode: ResumeMode, use: (storage: Storage, name: string) => T, key: string): T | undefined {
  try {
    const storage = mode === "browser" ? localStorage : mode === "tab" ? sessionStorage : undefined;
    return storage && use(storage, `portico:resume:${key}`);
  } catch {
    return undefined;
  }
}

/**
 * The credential to resume `key` (a server+proxy) with: the mode's storage first, since another tab of
 * the site may have used and replaced the one this page holds, else memory.
 */
export const readCredential = (key: string, mode: ResumeMode): string | undefined =>
  stored(mode, (s, name) => s.getItem(name), key) ?? credentials.get(key);

/**
 * The credential this page itself last got, to say its visitor left: never another tab's (that would end
 * the session the other tab uses); a credential some resume has used since is refused by the server.
 */
export const ownCredential = (key: string): string | undefined => credentials.get(key);

/** Keeps (or, with undefined, forgets) the credential, in memory and in the mode's storage. */
export function keepCredential(key: string, mode: ResumeMode, credential: string | undefined): void {
  if (credential === undefined) {
    credentials.delete(key);
    stored(mode, (s, name) => s.removeItem(name), key);
  } else {
    credentials.set(key, credential);
    stored(mode, (s, name) => s.setItem(name, credential), key);
  }
}

/**
 * Sends the credential to `sessions/resume` or `sessions/leave`: as a CORS simple request (text/plain, no
 * cookies), so it needs no preflight, and with `keepalive` so a leave still goes out as the page unloads.
 */
export function postCredential(
  client: ResolvedClientOptions,
  action: "resume" | "leave",
  credential: string,
): Promise<Response> {
  return fetch(`${client.server}${client.proxyBase}/api/v1/sessions/${action}`, {
    method: "POST",
    credentials: "omit",
    cache: "no-store",
    keepalive: action === "leave",
    // A resume that ends up starting a new session records the page it starts on.
    body: JSON.stringify({ resume: credential, pageUrl: pageUrlOf(client.pageUrl) }),
  });
}

/**
 * A ticket back into the visitor's session (or a new session of the same visitor), and the next
 * credential; undefined when there is no credential or the server refused it (it is then forgotten).
 */
export async function resumeTicket(
  client: ResolvedClientOptions,
  key: string,
  mode: ResumeMode,
): Promise<string | undefined> {
  const credential = readCredential(key, mode);
  if (credential === undefined) return undefined;
  let response: Response;
  try {
    response = await postCredential(client, "resume", credential);
  } catch {
    // Unreachable: the fresh ticket request that follows reports it.
    return undefined;
  }
  const body = (await response.json().catch(() => undefined)) as
    | { ticket?: unknown; resume?: unknown }
    | undefined;
  if (!response.ok || typeof body?.ticket !== "string") {
    // Used, expired, or for another page: it will never work again. Forgotten only if it is still the
    // stored one (another tab may have stored its successor meanwhile); a refusal for load (429) keeps it.
    if (response.status === 401 || response.status === 403) {
      credentials.delete(key);
      stored(mode, (s, name) => s.getItem(name) === credential && s.removeItem(name), key);
    }
    return undefined;
  }
  keepCredential(key, mode, typeof body.resume === "string" ? body.resume : undefined);
  return body.ticket;
}
