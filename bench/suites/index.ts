import type { BenchSuite } from "../lib/types.js";
import { engineSuite } from "./engine.js";
import { rulesSuite } from "./rules.js";
import { serverSuite } from "./server.js";

/** Every benchmark suite, in run order. Append yours (engine, server, frame, visits). */
export const suites: BenchSuite[] = [rulesSuite, engineSuite, serverSuite];
