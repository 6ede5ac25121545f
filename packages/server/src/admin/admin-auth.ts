import { ErrorCode } from "@portico/protocol";
import type { MiddlewareHandler } from "hono";
import { parseNameSecret } from "../api/ticket-routes.js";
import type { ConfigStore } from "../config/config-store.js";
import type { CredentialVerifier } from "../crypto/credential-verifier.js";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "../http/app-env.js";
import type { CredentialFailures } from "../http/credential-failures.js";

/**
 * `Authorization: Bearer <name>:<key>` against `admin.apiKeys` (scrypt hashes, constant-time compare).
 * Failed checks are limited per client (`failures`), so a key cannot be guessed at scrypt's pace.
 */
export function adminAuth(options: {
  configStore: ConfigStore;
  credentials: CredentialVerifier;
  failures: CredentialFailures;
}): MiddlewareHandler<AppEnv> {
  return async function adminAuthMiddleware(c, next) {
    const credential = parseNameSecret(c.req.header("authorization"));
    const key = credential
      ? options.configStore.current.config.admin.apiKeys.find((k) => k.name === credential.name)
      : undefined;
    const ok = await options.failures.verify(c.get("clientIp"), credential !== undefined, () =>
      options.credentials.verify(credential?.secret ?? "", key?.keyHash),
    );
    if (!key || !ok)
      throw new PorticoError(ErrorCode.ADMIN_UNAUTHORIZED, "A valid admin API key is required");
    c.set("adminKey", key.name);
    await next();
  };
}
