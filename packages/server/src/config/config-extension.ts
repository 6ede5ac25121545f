import type { PorticoConfig } from "./schema.js";

/**
 * Adds built-in content to every configuration as it is validated (a feature's own stream and app, such
 * as the Visitor analytics app). The entry points register the features they run; the config module
 * knows none of them.
 */
export type ConfigExtension = (config: PorticoConfig) => PorticoConfig;
