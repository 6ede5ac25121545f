import { ErrorCode, type TicketResponse } from "@portico/protocol";
import { Hono } from "hono";
import { z } from "zod";
import type { ConfigStore } from "../config/config-store.js";
import type { CredentialVerifier } from "../crypto/credential-verifier.js";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "../http/app-env.js";
import type { CredentialFailures } from "../http/credential-failures.js";
import { proxyCors } from "../http/proxy-cors.js";
import { rateLimit } from "../http/rate-limit.js";
import { parseJson, readJson } from "../http/read-json.js";
import { selfOrigin } from "../http/self-origin.js";
import type { TokenBucket } from "../http/token-bucket.js";
import type { Metrics } from "../ops/metrics.js";
import { ANONYMOUS_ONLY_MESSAGE, type SessionService } from "../sessions/session-service.js";
import type { TicketSigner } from "../tickets/ticket-signer.js";
import type { OriginRefusals } from "../visits/origin-refusals.js";
import { verifyVisitorToken } from "../visits/visitor-token.js";

const attributesSchema = z.record(
  z.string().max(128),
  z.union([z.string().max(1024), z.array(z.string().max(1024)).max(64)]),
);

/**
 * `POST tickets/anonymous` body, all optional: `visitor` is a JWT of attributes signed by a ticket client's
 * `visitorKey` (stored with the visit as verified); `visitorHint` is what the page says about its visitor
 * (stored marked unverified); `pageUrl` is the embedding page.
 */
const anonymousTicketSchema = z.strictObject({
  visitor: z.string().min(1).max(4096).optional(),
  visitorHint: z
    .record(z.string().max(64), z.union([z.string().max(256), z.array(z.string().max(256)).max(16)]))
    .refine((hint) => Object.keys(hint).length <= 16, { message: "at most 16 hints" })
    .optional(),
  pageUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
  /**
   * The page wants to come back to this visitor's session (a reload, its next page) and to say when the
   * visitor leaves: the ticket is for a new anonymous identity chosen now, and the answer carries its
   * resume credential.
   */
  resume: z.boolean().optional(),
});

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
  /** Limits failed ticket client credential checks per client. */
  credentialFailures: CredentialFailures;
  /** Records ticket requests refused for their page's origin (the visit log's `originRefused`). */
  originRefusals?: OriginRefusals | undefined;
  /** New anonymous identities and their resume credentials. */
  sessions: Pick<SessionService, "anonymousId" | "resumeCredential">;
  clock?: () => number;
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
      if (origin !== undefined)
        o.originRefusals?.refused(proxy.prefix, origin, {
          ip: c.get("clientIp"),
          userAgent: c.req.header("user-agent"),
        });
      throw new PorticoError(
        ErrorCode.ORIGIN_NOT_ALLOWED,
        "This page's origin is not on the proxy's host allow list",
      );
    }
    // The SDK sends its body as text/plain, a CORS simple request with no preflight: a ticket is bound to
    // the page's Origin whatever the media type, and no other page can read the answer.
    const body = c.req.header("content-type")?.startsWith("text/plain")
      ? parseJson(await c.req.text(), anonymousTicketSchema, { optional: true })
      : await readJson(c, anonymousTicketSchema, { optional: true });
    // A forged or expired signature is refused outright: forged attributes must never read as vouched for.
    const visitor =
      body.visitor === undefined
        ? undefined
        : await verifyVisitorToken(
            body.visitor,
            o.configStore.current.ticketClients,
            o.clock?.() ?? Date.now(),
          );
    // Portico's own pages keep their session in a cookie; resuming is for embedding pages.
    // `?resume=1` says the same as the body's `resume` and keeps the SDK's request a CORS simple one.
    const resume = body.resume === true || c.req.query("resume") === "1";
    const userId = resume && origin !== own ? o.sessions.anonymousId() : undefined;
    const issued = await o.signer.issue({
      proxy: proxy.prefix,
      kind: "anonymous",
      origin,
      ...(userId ? { userId } : {}),
      ...(visitor ? { visitor } : {}),
      ...(body.visitorHint ? { visitorHint: body.visitorHint } : {}),
      // The page's own URL only: another site's address is not this page's to report.
      ...(body.pageUrl && new URL(body.pageUrl).origin === origin ? { pageUrl: body.pageUrl } : {}),
    });
    o.metrics.inc("portico_tickets_issued_total", { proxy: proxy.prefix, kind: "anonymous" });
    const answer: TicketResponse = {
      ticket: issued.ticket,
      expiresAt: new Date(issued.expiresAt).toISOString(),
    };
    if (userId) answer.resume = await o.sessions.resumeCredential(proxy.prefix, origin, userId);
    return c.json(answer, 201);
  });

  routes.post("/tickets", async (c) => {
    const proxy = c.get("proxy");
    const client = await authenticateClient(c.req.header("authorization"), c.get("clientIp"), o);
    // The modelled hub's "always anonymous user": every visitor of such a proxy is anonymous, so an
    // identified ticket would let a backend hand out what the proxy's configuration forbids.
    if (proxy.anonymousAccess === "always") {
      o.metrics.inc("portico_tickets_refused_total", { reason: "anonymous_only" });
      throw new PorticoError(ErrorCode.ANONYMOUS_ONLY, ANONYMOUS_ONLY_MESSAGE);
    }
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
async function authenticateClient(header: string | undefined, ip: string, o: TicketRoutesOptions) {
  const credential = parseNameSecret(header);
  const client = credential ? o.configStore.current.ticketClients.get(credential.name) : undefined;
  // Unknown names still pay one scrypt verification, so timing does not reveal which clients exist.
  const ok = await o.credentialFailures.verify(ip, credential !== undefined, () =>
    o.credentials.verify(credential?.secret ?? "", client?.keyHash),
  );
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
