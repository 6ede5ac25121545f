import { ErrorCode } from "@portico/protocol";
import { Hono } from "hono";
import { z } from "zod";
import { parseUserRef } from "../access/rule-user.js";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "../http/app-env.js";
import { readJson } from "../http/read-json.js";
import { ANONYMOUS_DIRECTORY } from "../sessions/session-service.js";
import { describeAttempts } from "./license-attempt.js";
import type { LicenseService } from "./license-service.js";

const auditSchema = z.strictObject({
  /** `DIR\\userId`; `NONE\\anonymous` (any id) for an anonymous visitor. */
  user: z.string().min(3).max(512),
  /** Ticket attributes the visitor would carry (`user.environment.<name>`). */
  environment: z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({}),
});

export interface LicenseRoutesOptions {
  licenses: LicenseService;
}

/** `/admin/api/v1/licenses/...`: usage of the pools, and the licence audit (which source would cover a user). */
export function licenseRoutes(o: LicenseRoutesOptions) {
  const routes = new Hono<AppEnv>();

  routes.get("/licenses/usage", async (c) => c.json(await o.licenses.usage()));

  routes.post("/licenses/audit", async (c) => {
    const body = await readJson(c, auditSchema);
    const ref = parseUserRef(body.user);
    if (!ref) throw new PorticoError(ErrorCode.VALIDATION_FAILED, "user: expected DIRECTORY\\userId");
    const anonymous = ref.userDirectory.toUpperCase() === ANONYMOUS_DIRECTORY;
    const explanation = await o.licenses.explain({ ...ref, anonymous, attributes: body.environment });
    return c.json({
      user: `${ref.userDirectory}\\${ref.userId}`,
      ...explanation,
      summary: explanation.enforced
        ? `${explanation.granted ? "GRANTED" : "DENIED (NO_ACCESS_PASS)"}: ${describeAttempts(explanation.attempts)}`
        : "licences are not configured: sessions are not licence-checked",
    });
  });

  return routes;
}
