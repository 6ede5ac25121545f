import { randomUUID } from "node:crypto";
import type { AppDeps } from "../app.js";
import { LicenseService } from "./license-service.js";

/**
 * The app's dependencies with licensing in place: the given `licenses` service or a new one, whose session
 * listener comes FIRST, so a refused allocation stops a session before any other listener sees it start.
 */
export function withLicenses(deps: AppDeps): AppDeps & { licenses: LicenseService } {
  const ids = deps.ids;
  const licenses =
    deps.licenses ??
    new LicenseService({
      storage: deps.storage,
      config: () => deps.configStore.current,
      clock: deps.clock ?? Date.now,
      uuid: ids ? () => ids.uuid() : randomUUID,
      logger: deps.logger,
    });
  return { ...deps, licenses, sessionListeners: [licenses.listener(), ...(deps.sessionListeners ?? [])] };
}
