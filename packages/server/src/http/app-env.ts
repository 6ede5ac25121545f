import type { Requester } from "../access/requester.js";
import type { VirtualProxyConfig } from "../config/schema.js";
import type { ConsoleSession } from "../console/console-sessions.js";
import type { SessionRecord } from "../storage/storage.js";

/** Per-request values set by middleware. */
export interface AppEnv {
  Variables: {
    proxy: VirtualProxyConfig;
    session: SessionRecord | undefined;
    /** The session's requester, made once by `requireRequester` on the routes that need one. */
    requester: Requester | undefined;
    clientIp: string;
    /** Name of the admin API key that authenticated the request (`qmc:DIR\\user` for a console session). */
    adminKey: string;
    /** The console session of an admin API request made by the management console. */
    consoleSession: ConsoleSession | undefined;
  };
}
