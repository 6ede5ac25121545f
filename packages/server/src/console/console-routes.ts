import { ErrorCode } from "@portico/protocol";
import type { RuleUser } from "@portico/rules";
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { type ConfigState, userKey } from "../config/config-state.js";
import type { ConfigStore } from "../config/config-store.js";
import { PorticoError } from "../errors/portico-error.js";
import { apiHeaders } from "../http/api-headers.js";
import type { AppEnv } from "../http/app-env.js";
import { clientNetwork } from "../http/client-network.js";
import { frameHeaders } from "../http/frame-headers.js";
import { rateLimit } from "../http/rate-limit.js";
import { readJson } from "../http/read-json.js";
import { isSecureRequest, selfOrigin } from "../http/self-origin.js";
import type { TokenBucket } from "../http/token-bucket.js";
import type { FrameFiles } from "../pages/page-routes.js";
import { verifyLocalLogin } from "../sessions/local-login.js";
import { requestFacts } from "./console-auth.js";
import { consoleMay, consoleUser, sectionRights } from "./console-rights.js";
import {
  CONSOLE_COOKIE,
  CONSOLE_COOKIE_PATH,
  type ConsoleSession,
  type ConsoleSessions,
} from "./console-sessions.js";

const signInSchema = z.strictObject({
  userDirectory: z.string().min(1).max(128).optional(),
  userId: z.string().min(1).max(256),
  password: z.string().min(1).max(1024),
});

const NOT_BUILT =
  "The Portico management console is not built yet: run `npm run build` (it writes packages/frame/dist), then reload.";

/** What the console knows about its user: who, on which proxy, the CSRF token, and what they may do. */
export function consoleSessionView(session: ConsoleSession, state: ConfigState, user: RuleUser) {
  const known = state.users.get(userKey(session.userDirectory, session.userId));
  return {
    user: {
      userDirectory: session.userDirectory,
      userId: session.userId,
      ...(known?.name !== undefined ? { name: known.name } : {}),
    },
    proxy: session.proxy,
    csrfToken: session.csrfToken,
    expiresAt: new Date(session.expiresAt).toISOString(),
    rights: {
      ...sectionRights(user, state),
      sessions: {
        read: consoleMay(user, { type: "ProxySession", action: "read" }, state),
        update: consoleMay(user, { type: "ProxySession", action: "delete" }, state),
      },
    },
  };
}

/**
 * `/{P}/qmc` (the console page, on every proxy that is not anonymous-only) and `POST /{P}/qmc/sign-in`:
 * the proxy's login (its local directories) opening a console session. The cookie goes to the admin API
 * only, HttpOnly and SameSite=Strict; the answer carries the CSRF token the console sends with changes.
 */
export function consoleRoutes(o: {
  configStore: ConfigStore;
  sessions: ConsoleSessions;
  files: FrameFiles;
  bucket: TokenBucket;
}) {
  const routes = new Hono<AppEnv>();
  const noConsole = (c: Context<AppEnv>) => {
    if (c.get("proxy").anonymousAccess === "always")
      throw new PorticoError(
        ErrorCode.NOT_FOUND,
        "An anonymous-only virtual proxy has no management console",
      );
  };

  routes.get("/qmc", async (c) => {
    noConsole(c);
    const body = await o.files("qmc.html");
    for (const [name, value] of Object.entries(frameHeaders([]))) c.header(name, value);
    c.header("Cache-Control", "no-store");
    if (!body) return c.text(NOT_BUILT, 503);
    return c.body(body as Uint8Array<ArrayBuffer>, 200, { "Content-Type": "text/html; charset=utf-8" });
  });

  routes.use("/qmc/sign-in", apiHeaders());
  routes.post(
    "/qmc/sign-in",
    rateLimit({ bucket: o.bucket, scope: "login", key: clientNetwork }),
    async (c) => {
      noConsole(c);
      const state = o.configStore.current;
      // Login CSRF: a page elsewhere must not sign the browser in to an account of its choosing.
      if (c.req.header("origin") !== selfOrigin(c, state))
        throw new PorticoError(ErrorCode.ORIGIN_NOT_ALLOWED, "Sign in from Portico's own console page");
      const body = await readJson(c, signInSchema);
      const user = await verifyLocalLogin(state, body);
      const { token, session } = await o.sessions.signIn({
        proxy: c.get("proxy").prefix,
        userDirectory: user.userDirectory,
        userId: user.userId,
      });
      setCookie(c, CONSOLE_COOKIE, token, {
        httpOnly: true,
        sameSite: "Strict",
        secure: isSecureRequest(c, state),
        path: CONSOLE_COOKIE_PATH,
      });
      return c.json(
        consoleSessionView(session, state, consoleUser(session, state, requestFacts(c, state))),
        201,
      );
    },
  );
  return routes;
}

/** `GET|DELETE /admin/api/v1/console/session`: the console's own session (behind `consoleOrAdminAuth`). */
export function consoleSessionRoutes(o: { configStore: ConfigStore; sessions: ConsoleSessions }) {
  const routes = new Hono<AppEnv>();
  const current = (c: Context<AppEnv>) => {
    const session = c.get("consoleSession");
    if (!session)
      throw new PorticoError(ErrorCode.BAD_REQUEST, "Only a console session has a console session");
    return session;
  };
  routes.get("/console/session", (c) => {
    const session = current(c);
    const state = o.configStore.current;
    return c.json(consoleSessionView(session, state, consoleUser(session, state, requestFacts(c, state))));
  });
  routes.delete("/console/session", async (c) => {
    current(c);
    const token = getCookie(c, CONSOLE_COOKIE);
    if (token !== undefined) await o.sessions.signOut(token);
    deleteCookie(c, CONSOLE_COOKIE, { path: CONSOLE_COOKIE_PATH });
    return c.body(null, 204);
  });
  return routes;
}
