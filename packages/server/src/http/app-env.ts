import type { Requester } from "../access/requester.js";
import type { VirtualProxyConfig } from "../config/schema.js";
import type { SessionRecord } from "../storage/storage.js";

/** Per-request values set by middleware. */
export interface AppEnv {
  Variables: {
    proxy: VirtualProxyConfig;
    session: SessionRecord | undefined;
    /** The session's requester, made once by `requireRequester` on the routes that need one. */
    requester: Requester | undefined;
    clientIp: string;
    /** Name of the admin API key that authenticated the request. */
    adminKey: string;
  };
}
