import { ErrorCode, type TicketResponse } from "@portico/protocol";
import { Hono } from "hono";
import { z } from "zod";
import type { ConfigStore } from "../config/config-store.js";
import type { CredentialVerifier } from "../crypto/credential-verifier.js";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "../http/app-env.js";
import { proxyCors } from "../http/proxy-cors.js";
import { rateLimit } from "../http/rate-limit.js";
import { readJson } from "../http/read-json.js";
import { selfOrigin } from "../http/self-origin.js";
import type { TokenBucket } from "../http/token-bucket.js";
import type { Metrics } from "../ops/metrics.js";
import type { TicketSigner } from "../tickets/ticket-signer.js";

const attributesSchema = z.record(
  z.string().max(128),
  z.union([z.string().max(1024), z.array(z.string().max(1024)).max(64)]),
);

const userTicketSchema = z.strictObject({
  userDirectory: z.string().min(1).max(128),
  userId: z.string().min(1).max(256),
  attributes: attributesSchema.optional(),
});

export interface TicketRoutesOptions {
  configStore: ConfigStore;
  signer: TicketSigner;
  metrics: Metrics;
  bucket: TokenBucket;
  credentials: CredentialVerifier;
}

/** `POST tickets/anonymous` (browsers, CORS) and `POST tickets` (trusted backends, Ticket API). */
export function ticketRoutes(o: TicketRoutesOptions) {
  const routes = new Hono<AppEnv>();

  routes.use("/tickets/anonymous", proxyCors());
  routes.post("/tickets/anonymous", rateLimit({ bucket: o.bucket, scope: "anonymous-ticket" }), async (c) => {
    const proxy = c.get("proxy");
    if (proxy.anonymousAccess === "none") {
      o.metrics.inc("portico_tickets_refused_total", { reason: "anonymous_disabled" });
      throw new PorticoError(
        ErrorCode.ANONYMOUS_DISABLED,
        "Anonymous access is disabled on this virtual proxy",
      );
    }
    // The ticket is bound to the exact page origin that asked. Browsers always send Origin on a
    // cross-origin POST; a request without one is not a page we can bind to, so it is refused, except
    // our own first-party pages (the hub) calling from the server's public origin.
    const origin = c.req.header("origin");
    const own = selfOrigin(c, o.configStore.current);
    if (origin === undefined || !(proxy.hostAllowList.includes(origin) || origin === own)) {
      o.metrics.inc("portico_tickets_refused_total", { reason: "origin" });
      throw new PorticoError(
        ErrorCode.ORIGIN_NOT_ALLOWED,
        "This page's origin is not on the proxy's host allow list",
      );
    }
    const issued = await o.signer.issue({ proxy: proxy.prefix, kind: "anonymous", origin });
    o.metrics.inc("portico_tickets_issued_total", { proxy: proxy.prefix, kind: "anonymous" });
    return c.json(
      { ticket: issued.ticket, expiresAt: new Date(issued.expiresAt).toISOString() } satisfies TicketResponse,
      201,
    );
  });

  routes.post("/tickets", async (c) => {
    const proxy = c.get("proxy");
    const client = await authenticateClient(c.req.header("authorization"), o);
    const body = await readJson(c, userTicketSchema);
    if (!client.userDirectories.some((d) => d.toUpperCase() === body.userDirectory.toUpperCase())) {
      o.metrics.inc("portico_tickets_refused_total", { reason: "client_directory" });
      throw new PorticoError(
        ErrorCode.FORBIDDEN,
        `Ticket client "${client.name}" may not issue tickets for this user directory`,
      );
    }
    const issued = await o.signer.issue({
      proxy: proxy.prefix,
      kind: "user",
      userDirectory: body.userDirectory,
      userId: body.userId,
      attributes: body.attributes ?? {},
    });
    o.metrics.inc("portico_tickets_issued_total", { proxy: proxy.prefix, kind: "user" });
    return c.json(
      { ticket: issued.ticket, expiresAt: new Date(issued.expiresAt).toISOString() } satisfies TicketResponse,
      201,
    );
  });

  return routes;
}

/** `Authorization: Bearer <name>:<secret>` or `Basic base64(name:secret)`, checked against `ticketClients`. */
async function authenticateClient(header: string | undefined, o: TicketRoutesOptions) {
  const credential = parseNameSecret(header);
  const client = credential ? o.configStore.current.ticketClients.get(credential.name) : undefined;
  // Unknown names still pay one scrypt verification, so timing does not reveal which clients exist.
  const ok = await o.credentials.verify(credential?.secret ?? "", client?.keyHash);
  if (!client || !ok) {
    o.metrics.inc("portico_tickets_refused_total", { reason: "client_credential" });
    throw new PorticoError(ErrorCode.TICKET_CLIENT_UNAUTHORIZED, "Unknown ticket client or wrong secret");
  }
  return client;
}

/** Parses `Bearer name:secret` or `Basic <base64(name:secret)>`. */
export function parseNameSecret(header: string | undefined): { name: string; secret: string } | undefined {
  if (!header) return undefined;
  let raw: string | undefined;
  if (header.startsWith("Bearer ")) raw = header.slice(7).trim();
  else if (header.startsWith("Basic ")) raw = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  if (raw === undefined) return undefined;
  const at = raw.indexOf(":");
  if (at <= 0 || at === raw.length - 1) return undefined;
  return { name: raw.slice(0, at), secret: raw.slice(at + 1) };
}
