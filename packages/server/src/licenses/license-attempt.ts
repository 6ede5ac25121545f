import type { LicenseType } from "./license-constants.js";

/** Why one licence source did or did not cover a session. */
export type AttemptResult = "granted" | "reused" | "conditionFalse" | "poolExhausted";

/** One step of an allocation, in the order tried: the user's allocation, then each licence rule. */
export interface LicenseAttempt {
  source: "allocation" | "rule";
  /** The licence rule's name, or `DIR\\userId` for a user allocation. */
  name: string;
  type: LicenseType;
  result: AttemptResult;
}

const WHY: Record<AttemptResult, string> = {
  granted: "granted",
  reused: "reused the identity's pass",
  conditionFalse: "condition false",
  poolExhausted: "pool exhausted",
};

/** `rule "Anonymous passes" (loginAccessPass): pool exhausted; ...` for logs and the CLI. */
export function describeAttempts(attempts: readonly LicenseAttempt[]): string {
  if (attempts.length === 0) return "no user allocation and no licence rules configured";
  return attempts
    .map((a) => `${a.source === "rule" ? "rule" : "allocation"} "${a.name}" (${a.type}): ${WHY[a.result]}`)
    .join("; ");
}
