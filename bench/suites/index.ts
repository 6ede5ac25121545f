import type { BenchSuite } from "../lib/types.js";
import { engineSuite } from "./engine.js";
import { rulesSuite } from "./rules.js";

/** Every benchmark suite, in run order. Append yours (engine, server, frame, visits). */
export const suites: BenchSuite[] = [rulesSuite, engineSuite];
