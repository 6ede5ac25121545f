import type { BenchSuite } from "../lib/types.js";
import { embedSuite } from "./embed.js";
import { engineSuite } from "./engine.js";
import { frameSuite } from "./frame.js";
import { isolationSuite } from "./isolation.js";
import { loadSuite } from "./load.js";
import { overloadSuite } from "./overload.js";
import { rulesSuite } from "./rules.js";
import { serverSuite } from "./server.js";
import { visitsSuite } from "./visits.js";

/** Every benchmark suite, in run order. Append yours (engine, server, frame, visits). */
export const suites: BenchSuite[] = [
  rulesSuite,
  engineSuite,
  loadSuite,
  serverSuite,
  isolationSuite,
  overloadSuite,
  visitsSuite,
  embedSuite,
  frameSuite,
];
