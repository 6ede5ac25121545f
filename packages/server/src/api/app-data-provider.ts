import type { FieldInfo } from "@portico/protocol";
import type { ConfigState } from "../config/config-state.js";
import type { AppConfig } from "../config/schema.js";

/**
 * The seam to the data engine: the server asks it about an app's data. Until the engine is wired in,
 * `GET /apps/{id}` answers `fields: []`. The query endpoint (`POST /apps/{id}/query`) plugs in here too.
 */
export interface AppDataProvider {
  fields(app: AppConfig, state: ConfigState): Promise<FieldInfo[]>;
}
