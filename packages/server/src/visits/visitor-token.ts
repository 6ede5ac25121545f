import { ErrorCode } from "@portico/protocol";
import { errors, importJWK, type JWK, jwtVerify } from "jose";
import { z } from "zod";
import type { TicketClientConfig } from "../config/schema.js";
import { PorticoError } from "../errors/portico-error.js";
import type { VisitAttributes } from "./visit-event.js";

/** A visitor token older than this is refused even if its `exp` is later. */
const VISITOR_TOKEN_MAX_AGE = "1h";

const attributesSchema = z
  .record(z.string().max(128), z.union([z.string().max(1024), z.array(z.string().max(1024)).max(64)]))
  .refine((a) => Object.keys(a).length <= 64, { message: "at most 64 attributes" });

/** The algorithm a key type is used with: one per key, so a token cannot choose a weaker one. */
function algorithmFor(jwk: JWK): string {
  if (jwk.kty === "EC" && jwk.crv === "P-256") return "ES256";
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return "EdDSA";
  if (jwk.kty === "RSA") return "RS256";
  throw new TypeError(`visitorKey: unsupported key (kty ${jwk.kty}, crv ${jwk.crv ?? "none"})`);
}

/**
 * Verifies the visitor attributes a portal signed for an anonymous ticket: a JWT whose `iss` names a
 * ticket client with a `visitorKey`, signed by that key, with `exp` and `iat`. Its `sub` (when present) and
 * its `attributes` claim become the verified attributes. Anything else — unknown client, client without a
 * key, bad signature, expired, wrong algorithm — is refused: a page must not be able to pass off forged
 * attributes as vouched for.
 */
export async function verifyVisitorToken(
  token: string,
  clients: ReadonlyMap<string, TicketClientConfig>,
  now: number,
): Promise<{ client: string; attributes: VisitAttributes }> {
  let clientName = "";
  try {
    const { payload } = await jwtVerify(
      token,
      async (header, jws) => {
        const claims = JSON.parse(Buffer.from(String(jws.payload), "base64url").toString("utf8")) as {
          iss?: unknown;
        };
        clientName = typeof claims.iss === "string" ? claims.iss : "";
        const jwk = clients.get(clientName)?.visitorKey as JWK | undefined;
        if (!jwk) throw new errors.JWKSNoMatchingKey();
        // The key decides the algorithm; a token naming another one (HS256 with the public key...) fails.
        const alg = algorithmFor(jwk);
        if (header.alg !== alg) throw new errors.JOSEAlgNotAllowed("alg");
        return importJWK(jwk, alg);
      },
      {
        currentDate: new Date(now),
        requiredClaims: ["iss", "exp", "iat"],
        maxTokenAge: VISITOR_TOKEN_MAX_AGE,
        algorithms: ["ES256", "EdDSA", "RS256"],
      },
    );
    const attributes = attributesSchema.safeParse(payload.attributes ?? {});
    if (!attributes.success) throw new errors.JWTInvalid("attributes");
    return {
      client: clientName,
      attributes: { ...(typeof payload.sub === "string" ? { sub: payload.sub } : {}), ...attributes.data },
    };
  } catch (error) {
    const reason =
      error instanceof errors.JWTExpired
        ? "expired"
        : error instanceof errors.JOSEError
          ? error.code
          : "malformed";
    throw new PorticoError(ErrorCode.TICKET_INVALID, "The signed visitor attributes are not valid", {
      reason: `visitor:${reason}`,
    });
  }
}
