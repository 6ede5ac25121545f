import { ErrorCode } from "@portico/protocol";
import { ACTION_NAMES, type ActionName, ruleWarnings } from "@portico/rules";
import { Hono } from "hono";
import { z } from "zod";
import { buildRuleUser, parseUserRef } from "../access/rule-user.js";
import { type ConfigStore, EDITABLE_SECTIONS, type EditableSection } from "../config/config-store.js";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "../http/app-env.js";
import { parseQuery } from "../http/parse-query.js";
import { readJson } from "../http/read-json.js";
import type { Metrics } from "../ops/metrics.js";
import type { SessionService } from "../sessions/session-service.js";
import type { SessionRecord, Storage } from "../storage/storage.js";
import { type MemoryKeyRing, publicKeyRecord } from "../tickets/keys.js";
import { resolveAuditResource } from "./audit-resource.js";
import { checkRuleDraft, ruleCheckSchema } from "./rule-check.js";

const auditSchema = z.strictObject({
  /** `DIR\\userId`; `NONE\\anonymous...` for an anonymous visitor. */
  user: z.string().min(3),
  /** `Stream_<id>`, `App_<id>`, `App.Object_<id>` (a sheet or object id of a configured app). */
  resource: z.string().min(1),
  action: z.enum(ACTION_NAMES as [ActionName, ...ActionName[]]).default("read"),
  context: z.enum(["hub", "qmc"]).default("hub"),
  /** Extra `user.environment` values (ticket attributes, ip, browser...). */
  environment: z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({}),
});

const NO_ACTIVITY = { ip: null, pageUrl: null, app: null };

/** Most sessions one list answers: a bad or negative `limit` is refused, never read as "no cap". */
const MAX_SESSION_LIST = 5000;

const sessionListSchema = z.object({
  active: z
    .string()
    .optional()
    .transform((value) => value !== "false"),
  proxy: z.string().max(128).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_SESSION_LIST).default(500),
});

export interface AdminRoutesOptions {
  configStore: ConfigStore;
  storage: Storage;
  sessions: SessionService;
  metrics: Metrics;
  keys: MemoryKeyRing | undefined;
  clock: () => number;
}

/** `/admin/api/v1`: config sections (live + persisted), rules with warnings, audit, sessions, key rotation. */
export function adminRoutes(o: AdminRoutesOptions) {
  const routes = new Hono<AppEnv>();

  routes.get("/config", (c) =>
    c.json(Object.fromEntries(EDITABLE_SECTIONS.map((name) => [name, o.configStore.section(name) ?? null]))),
  );

  // Each section answers with its version as an ETag; a PUT with `If-Match` applies only over that
  // version (409 VERSION_CONFLICT otherwise), so an edit never silently overwrites one made since it was
  // opened. Without `If-Match` the PUT replaces whatever is there, as automation expects.
  routes.get("/config/:section", (c) => {
    const name = sectionName(c.req.param("section"));
    c.header("ETag", `"${o.configStore.version(name)}"`);
    return c.json({ [name]: o.configStore.section(name) ?? null });
  });

  routes.put("/config/:section", async (c) => {
    const name = sectionName(c.req.param("section"));
    const body = await readJson(c, z.record(z.string(), z.unknown()));
    if (!(name in body)) throw new PorticoError(ErrorCode.BAD_REQUEST, `The body must be {"${name}": ...}`);
    const expected = expectedVersion(c.req.header("if-match"));
    try {
      await o.configStore.replaceSection(name, body[name], `admin:${c.get("adminKey")}`, expected);
      o.metrics.inc("portico_config_reloads_total", { result: "applied" });
    } catch (error) {
      o.metrics.inc("portico_config_reloads_total", { result: "refused" });
      throw error;
    }
    c.header("ETag", `"${o.configStore.version(name)}"`);
    return c.json({ [name]: o.configStore.section(name) ?? null });
  });

  // The rules in force (the defaults when the configuration has none), each with its warnings: what
  // Portico does not model in a rule pasted from the hub, so an administrator sees what it evaluates to.
  routes.get("/rules", (c) => {
    const state = o.configStore.current;
    const written = state.config.securityRules !== undefined;
    return c.json({
      defaults: !written,
      rules: state.rules.map((rule, index) => ({
        index,
        ...rule,
        warnings: written ? ruleWarnings(rule) : [],
      })),
    });
  });

  // A rule being edited, checked as it is typed (the console's Conditions field): applies nothing, so it
  // answers 200 with the positioned errors. Licence rules have their own path for their own right.
  for (const path of ["/rules/check", "/licenses/rules/check"])
    routes.post(path, async (c) => c.json(checkRuleDraft(await readJson(c, ruleCheckSchema))));

  routes.post("/audit", async (c) => {
    const body = await readJson(c, auditSchema);
    const state = o.configStore.current;
    const ref = parseUserRef(body.user);
    if (!ref) throw new PorticoError(ErrorCode.VALIDATION_FAILED, "user: expected DIRECTORY\\userId");
    const resource = resolveAuditResource(state, body.resource);
    const user = buildRuleUser({ ...ref, attributes: body.environment }, state, {
      ip: typeof body.environment.ip === "string" ? body.environment.ip : "127.0.0.1",
      userAgent: undefined,
      secure: false,
      context: body.context,
    });
    const explanation = state.ruleSet.explain(user, body.action, resource, body.context);
    return c.json(explanation);
  });

  routes.get("/sessions", async (c) => {
    const { active, proxy, limit } = parseQuery(sessionListSchema, c.req.query());
    const list = await o.storage.sessions.list({
      ...(active ? { activeAt: o.clock() } : {}),
      ...(proxy !== undefined ? { proxy } : {}),
      limit,
    });
    // Each with what the visit log says it is doing: its address (as the privacy mode keeps it), page, app.
    const activity = await o.storage.visits.sessionActivity(list);
    return c.json({
      sessions: list.map((s) => ({ ...publicSession(s), ...(activity.get(s.id) ?? NO_ACTIVITY) })),
    });
  });

  routes.delete("/sessions/:id", async (c) => {
    const revoked = await o.sessions.revoke(c.req.param("id"));
    if (!revoked) throw new PorticoError(ErrorCode.NOT_FOUND, "No active session with this id");
    return c.body(null, 204);
  });

  routes.post("/keys/rotate", async (c) => {
    if (!o.keys)
      throw new PorticoError(ErrorCode.UNAVAILABLE, "Key rotation is not available for this key ring");
    const { added, retired } = await o.keys.rotate((key) => o.storage.keys.save(publicKeyRecord(key)));
    await o.storage.keys.retire(retired.kid, retired.retiredAt ?? o.clock());
    return c.json({ current: added.kid, retired: retired.kid });
  });

  return routes;
}

/** The version an `If-Match` header names (`"v"` or `W/"v"`); undefined without one. `*` matches any. */
function expectedVersion(header: string | undefined): string | undefined {
  const value = header?.trim();
  if (value === undefined || value === "" || value === "*") return undefined;
  const match = /^(?:W\/)?"([^"]*)"$/.exec(value);
  if (!match) throw new PorticoError(ErrorCode.BAD_REQUEST, 'If-Match must be a quoted version: "<version>"');
  return match[1];
}

function sectionName(raw: string): EditableSection {
  if (!(EDITABLE_SECTIONS as readonly string[]).includes(raw))
    throw new PorticoError(
      ErrorCode.NOT_FOUND,
      `Unknown config section; one of ${EDITABLE_SECTIONS.join(", ")}`,
    );
  return raw as EditableSection;
}

/** A session as the admin sees it: never the token hash. */
function publicSession(s: SessionRecord) {
  return {
    id: s.id,
    proxy: s.proxy,
    userDirectory: s.userDirectory,
    userId: s.userId,
    anonymous: s.anonymous,
    origin: s.origin,
    createdAt: new Date(s.createdAt).toISOString(),
    lastActiveAt: new Date(s.lastActiveAt).toISOString(),
    expiresAt: new Date(s.expiresAt).toISOString(),
    absoluteExpiresAt: new Date(s.absoluteExpiresAt).toISOString(),
    endedAt: s.endedAt === null ? null : new Date(s.endedAt).toISOString(),
    endReason: s.endReason,
  };
}
