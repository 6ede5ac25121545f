import { createClient, type PorticoClient } from "./client.js";
import { type ClientOptions, clientKey, resolveClientOptions } from "./client-options.js";

const clients = new Map<string, PorticoClient>();

/**
 * The page's client for one server and proxy, created on first use: what every `<portico-embed>` uses, so
 * elements share one session. Call it with `getTicket` before the elements connect to give them an
 * identified ticket source; later calls return the existing client unchanged.
 */
export function sharedClient(options: ClientOptions): PorticoClient {
  const key = clientKey(resolveClientOptions(options, location.href));
  let client = clients.get(key);
  if (!client) {
    client = createClient(options);
    clients.set(key, client);
  }
  return client;
}
