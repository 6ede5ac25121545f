import { Hono } from "hono";
import { z } from "zod";
import type { ConfigStore } from "../config/config-store.js";
import type { AppEnv } from "../http/app-env.js";
import { readJson } from "../http/read-json.js";
import type { LicenseService } from "../licenses/license-service.js";
import { proposeFixes } from "./propose-fixes.js";
import { runDoctor } from "./run-doctor.js";

const doctorSchema = z.strictObject({
  /** The virtual proxy prefix (`""` for the default proxy). */
  proxy: z.string().max(256),
  app: z.string().min(1).max(256),
});

export interface DoctorRoutesOptions {
  configStore: ConfigStore;
  licenses: Pick<LicenseService, "explain">;
  uuid: () => string;
}

/**
 * `POST /admin/api/v1/doctor {proxy, app}`: the doctor's report for the current configuration. A failing
 * report is still a 200: the diagnosis succeeded, its `ok` says whether anonymous access works.
 */
export function doctorRoutes(o: DoctorRoutesOptions) {
  const routes = new Hono<AppEnv>();
  routes.post("/doctor", async (c) => {
    const body = await readJson(c, doctorSchema);
    return c.json(await runDoctor(o.configStore.current, o.licenses, body, o.uuid));
  });
  // The report with the section changes that would repair it (the console's *Fix*), applied by the caller
  // through `PUT config/:section` with each change's version: nothing changes here.
  routes.post("/doctor/fix", async (c) => {
    const body = await readJson(c, doctorSchema);
    const state = o.configStore.current;
    const report = await runDoctor(state, o.licenses, body, o.uuid);
    return c.json({ report, changes: proposeFixes(report, state, o.configStore) });
  });
  return routes;
}
