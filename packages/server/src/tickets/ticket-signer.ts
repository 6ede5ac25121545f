import { ErrorCode, type TicketClaims, type TicketKind } from "@portico/protocol";
import { errors, jwtVerify, SignJWT } from "jose";
import { PorticoError } from "../errors/portico-error.js";
import { isStorageFailure } from "../storage/storage-failure.js";
import type { KeyRing } from "./keys.js";
import { TICKET_TTL_MS } from "./ticket-ttl.js";

export { TICKET_TTL_MS };
export const TICKET_ISSUER = "portico";
/** How far ahead of our clock a ticket's `iat` may be (a peer server's clock runs a little fast). */
export const TICKET_CLOCK_SKEW_MS = 30_000;

/**
 * The audience of a ticket for a proxy. JWT audiences must be non-empty strings, and the default proxy's
 * prefix is empty, so every audience is `portico:<prefix>` (`portico:` for the default proxy). A ticket
 * for one proxy is therefore refused by every other.
 */
export function audienceFor(prefix: string): string {
  return `portico:${prefix}`;
}

export interface TicketRequest {
  proxy: string;
  kind: TicketKind;
  origin?: string;
  userDirectory?: string;
  userId?: string;
  attributes?: Record<string, string | string[]>;
  sid?: string;
  visitor?: TicketClaims["visitor"];
  visitorHint?: TicketClaims["visitorHint"];
  pageUrl?: string;
}

/** What a resume credential vouches for: an anonymous identity, on one proxy, for one page origin. */
export interface ResumeClaims {
  jti: string;
  /** Seconds since the epoch: the credential is useless after it. */
  exp: number;
  origin: string;
  userId: string;
}

/** A resume credential lives at most this long, whatever the proxy's session lifetime (30 days). */
const RESUME_MAX_LIFETIME_MS = 30 * 24 * 60 * 60_000;

export interface IssuedTicket {
  ticket: string;
  jti: string;
  expiresAt: number;
}

export interface TicketSignerOptions {
  keys: KeyRing;
  clock: () => number;
  uuid: () => string;
}

/** Signs and verifies Portico tickets: ES256 JWTs with `kid`, 60 s, audience bound to the proxy. */
export class TicketSigner {
  private readonly options: TicketSignerOptions;

  constructor(options: TicketSignerOptions) {
    this.options = options;
  }

  async issue(request: TicketRequest): Promise<IssuedTicket> {
    const now = this.options.clock();
    const iat = Math.floor(now / 1000);
    const exp = Math.floor((now + TICKET_TTL_MS) / 1000);
    const jti = this.options.uuid();
    const key = this.options.keys.current();
    const claims: Record<string, unknown> = { kind: request.kind };
    if (request.origin !== undefined) claims.origin = request.origin;
    if (request.userDirectory !== undefined) claims.userDirectory = request.userDirectory;
    if (request.userId !== undefined) claims.userId = request.userId;
    if (request.attributes !== undefined) claims.attributes = request.attributes;
    if (request.sid !== undefined) claims.sid = request.sid;
    if (request.visitor !== undefined) claims.visitor = request.visitor;
    if (request.visitorHint !== undefined) claims.visitorHint = request.visitorHint;
    if (request.pageUrl !== undefined) claims.pageUrl = request.pageUrl;
    const ticket = await new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "JWT" })
      .setIssuer(TICKET_ISSUER)
      .setAudience(audienceFor(request.proxy))
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key.privateKey);
    return { ticket, jti, expiresAt: exp * 1000 };
  }

  /**
   * A resume credential (`kind: resume`): signed like a ticket, for the same proxy audience, bound to the
   * page origin and the anonymous identity, and valid until `expiresAt`. It is never a ticket: `verify`
   * refuses its kind (and its lifetime), so it cannot be redeemed as one.
   */
  async issueResume(proxy: string, claims: { origin: string; userId: string; expiresAt: number }) {
    const iat = Math.floor(this.options.clock() / 1000);
    const key = this.options.keys.current();
    const jti = this.options.uuid();
    const exp = Math.floor(claims.expiresAt / 1000);
    const credential = await new SignJWT({ kind: "resume", origin: claims.origin, userId: claims.userId })
      .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "JWT" })
      .setIssuer(TICKET_ISSUER)
      .setAudience(audienceFor(proxy))
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key.privateKey);
    return { credential, jti, expiresAt: exp * 1000 };
  }

  /** Verifies a resume credential for `proxy`; throws TICKET_EXPIRED or TICKET_INVALID like `verify`. */
  async verifyResume(credential: string, proxy: string): Promise<ResumeClaims> {
    const payload = await this.verifyJwt(credential, proxy, RESUME_MAX_LIFETIME_MS);
    if (payload.kind !== "resume" || typeof payload.origin !== "string" || typeof payload.userId !== "string")
      throw new PorticoError(ErrorCode.TICKET_INVALID, "Not a resume credential", { reason: "kind" });
    return payload as unknown as ResumeClaims;
  }

  /**
   * Verifies signature, algorithm, issuer, audience and expiry (against the injected clock). Only ES256
   * is accepted, named explicitly, so `alg: none` and HS256-with-the-public-key forgeries fail before any
   * key is used. Throws TICKET_EXPIRED or TICKET_INVALID; the reason stays in `details` for metrics/logs.
   */
  async verify(ticket: string, proxy: string): Promise<TicketClaims> {
    const payload = await this.verifyJwt(ticket, proxy, TICKET_TTL_MS);
    const kind = payload.kind;
    if (kind !== "anonymous" && kind !== "user" && kind !== "join")
      throw new PorticoError(ErrorCode.TICKET_INVALID, "The ticket is not valid", { reason: "kind" });
    return payload as unknown as TicketClaims;
  }

  private async verifyJwt(ticket: string, proxy: string, maxLifetimeMs: number) {
    try {
      const { payload } = await jwtVerify(
        ticket,
        async (header) => {
          const keys = this.options.keys;
          const kid = header.kid;
          const key =
            kid === undefined
              ? undefined
              : keys.resolvePublicKey
                ? await keys.resolvePublicKey(kid)
                : keys.publicKey(kid);
          if (!key) throw new errors.JWKSNoMatchingKey();
          return key;
        },
        {
          algorithms: ["ES256"],
          issuer: TICKET_ISSUER,
          audience: audienceFor(proxy),
          currentDate: new Date(this.options.clock()),
          requiredClaims: ["jti", "exp", "iat", "aud", "iss"],
        },
      );
      // A ticket lives TICKET_TTL_MS: a longer one, or one dated ahead of our clock, was not made by a
      // Portico that follows the rules (a leaked or misused key, a peer's broken clock), whatever its `exp`.
      const nowS = this.options.clock() / 1000;
      if ((payload.exp ?? 0) - (payload.iat ?? 0) > maxLifetimeMs / 1000)
        throw new PorticoError(ErrorCode.TICKET_INVALID, "The ticket's lifetime is too long", {
          reason: "lifetime",
        });
      if ((payload.iat ?? 0) > nowS + TICKET_CLOCK_SKEW_MS / 1000)
        throw new PorticoError(ErrorCode.TICKET_INVALID, "The ticket is issued in the future", {
          reason: "future",
        });
      return payload;
    } catch (error) {
      // A peer key the storage could not be asked for says nothing of the ticket: 503, not "invalid".
      if (error instanceof PorticoError || isStorageFailure(error)) throw error;
      if (error instanceof errors.JWTExpired)
        throw new PorticoError(ErrorCode.TICKET_EXPIRED, "The ticket has expired", { reason: "expired" });
      const reason = error instanceof errors.JOSEError ? error.code : "malformed";
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === "aud")
        throw new PorticoError(ErrorCode.TICKET_INVALID, "The ticket is not valid for this proxy", {
          reason: "audience",
        });
      throw new PorticoError(ErrorCode.TICKET_INVALID, "The ticket is not valid", { reason });
    }
  }
}
