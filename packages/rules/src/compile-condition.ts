import type { ActionName } from "./actions.js";
import type { CallNode, CompareNode, ConditionNode, OperandNode, PathNode } from "./ast.js";
import { compileMatches } from "./compile-matches.js";
import { RuleSyntaxError } from "./errors.js";
import { parseCondition } from "./parse-condition.js";
import { likeToTest } from "./patterns.js";
import { printCondition } from "./print-condition.js";
import type { RuleContext, RuleResource, RuleUser } from "./types.js";

/** What a compiled condition is evaluated against. */
export interface ConditionInput {
  user: RuleUser;
  /** The resource; absent for conditions about the user only (licence rules), where `resource.*` is missing. */
  resource?: RuleResource | undefined;
  /** The request context; `user.environment.context` falls back to it. */
  context?: RuleContext | undefined;
  /**
   * Answers `X.HasPrivilege("action")` for a linked resource. A rule set supplies it (same user and
   * context, its own rules); without it `HasPrivilege` is false, because a condition evaluated on its
   * own has no rules to grant anything (allow-only: no rule, no privilege).
   */
  hasPrivilege?: ((action: ActionName, resource: RuleResource) => boolean) | undefined;
}

/** A condition compiled to a closure: evaluate it as often as needed, it never parses again. */
export interface CompiledCondition {
  (input: ConditionInput): boolean;
  /** The condition source as given (printed in canonical form when compiled from a tree). */
  readonly source: string;
  /** The checked syntax tree. */
  readonly ast: ConditionNode;
}

export type Predicate = (input: ConditionInput) => boolean;
type Getter = (input: ConditionInput) => unknown;
type Step = (value: unknown, input: ConditionInput) => unknown;

/**
 * Compiles a condition (source text or a tree from `parseCondition`) once into nested closures.
 * Throws `RuleSyntaxError` for a bad condition. Standalone use works: `compileCondition(src)({user,
 * resource})`; `HasPrivilege` then holds only when `input.hasPrivilege` says so.
 */
export function compileCondition(condition: string | ConditionNode): CompiledCondition {
  const ast = typeof condition === "string" ? parseCondition(condition) : condition;
  const predicate = compileNode(ast);
  const compiled = ((input: ConditionInput) => predicate(input)) as CompiledCondition;
  const source = typeof condition === "string" ? condition : printCondition(ast);
  Object.defineProperty(compiled, "source", { value: source });
  Object.defineProperty(compiled, "ast", { value: ast });
  return compiled;
}

/** Compiles one node of a checked tree. */
export function compileNode(node: ConditionNode): Predicate {
  switch (node.kind) {
    case "always":
      return () => true;
    case "and": {
      const parts = node.operands.map(compileNode);
      if (parts.length === 2) {
        const [a, b] = parts as [Predicate, Predicate];
        return (i) => a(i) && b(i);
      }
      return (i) => {
        for (const p of parts) if (!p(i)) return false;
        return true;
      };
    }
    case "or": {
      const parts = node.operands.map(compileNode);
      if (parts.length === 2) {
        const [a, b] = parts as [Predicate, Predicate];
        return (i) => a(i) || b(i);
      }
      return (i) => {
        for (const p of parts) if (p(i)) return true;
        return false;
      };
    }
    case "not": {
      const inner = compileNode(node.operand);
      return (i) => !inner(i);
    }
    case "compare":
      return compileCompare(node);
    case "call":
      return compileCall(node);
  }
}

// --- values -------------------------------------------------------------------------------------

/** True when any value of `value` (a string, a list, a boolean or number) passes `test`. */
function anyValue(value: unknown, test: (s: string) => boolean): boolean {
  if (typeof value === "string") return test(value);
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === "string") {
        if (test(item)) return true;
      } else if (typeof item === "boolean" || typeof item === "number") {
        if (test(String(item))) return true;
      }
    }
    return false;
  }
  if (typeof value === "boolean" || typeof value === "number") return test(String(value));
  return false;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
}

/** Reads `key` from a record, exactly first, then ignoring case (names are case-insensitive). */
function lookup(value: unknown, key: string, lowerKey: string): unknown {
  const rec = record(value);
  if (rec === undefined) return undefined;
  if (Object.hasOwn(rec, key)) return rec[key];
  for (const k in rec) if (Object.hasOwn(rec, k) && k.toLowerCase() === lowerKey) return rec[k];
  return undefined;
}

const FIELD_OF: Record<string, string> = { resourcetype: "type", group: "groups" };

function compileStep(segment: PathNode["segments"][number], parent: string): Step {
  const name = segment.name;
  const lower = name.toLowerCase();
  if (segment.kind === "attribute" || segment.kind === "namedAttribute") {
    return (v) => lookup(record(v)?.properties, name, lower);
  }
  if (parent === "environment") {
    if (lower === "context") {
      return (v, input) => lookup(v, name, lower) ?? input.context;
    }
    return (v) => lookup(v, name, lower);
  }
  const field = FIELD_OF[name] ?? name;
  return (v) => record(v)?.[field];
}

function compilePath(path: PathNode): Getter {
  const segments = path.segments;
  // A property Portico does not model has no value, nor has anything after it.
  if (segments.some((s) => s.kind === "unmodelled")) return () => undefined;
  let getter: Getter = path.root === "user" ? (i) => i.user : (i) => i.resource;
  let parent: string = path.root;
  let start = 0;
  // The first plain property reads straight from the root: most paths are `user.x` or `resource.x`.
  const first = segments[0];
  if (first !== undefined && first.kind === "property" && parent !== "environment") {
    const field = FIELD_OF[first.name] ?? first.name;
    getter =
      path.root === "user"
        ? (i) => (i.user as unknown as Record<string, unknown> | undefined)?.[field]
        : (i) => (i.resource as unknown as Record<string, unknown> | undefined)?.[field];
    parent = first.name;
    start = 1;
  }
  for (let n = start; n < segments.length; n++) {
    const segment = segments[n]!;
    const previous = getter;
    if (segment.kind === "property" && parent !== "environment") {
      const field = FIELD_OF[segment.name] ?? segment.name;
      getter = (i) => record(previous(i))?.[field];
    } else {
      const step = compileStep(segment, parent);
      getter = (i) => step(previous(i), i);
    }
    parent = segment.kind === "property" ? segment.name : "value";
  }
  return getter;
}

function compileOperand(operand: OperandNode): Getter {
  if (operand.kind === "string") {
    const value = operand.value;
    return () => value;
  }
  return compilePath(operand);
}

// --- comparisons --------------------------------------------------------------------------------

function equalsIgnoringCase(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}

/**
 * Case-insensitive equality with a literal. For an ASCII literal a different length rules a match out
 * without lowercasing: the only lowercase mapping that changes length (U+0130) yields a non-ASCII mark.
 */
function ignoringCase(literal: string): (s: string) => boolean {
  const lower = literal.toLowerCase();
  const length = literal.length;
  if (!/[^ -~\t\n\r]/.test(literal)) {
    return (s) => s === literal || (s.length === length && s.toLowerCase() === lower);
  }
  return (s) => s === literal || s.toLowerCase() === lower;
}

/** A string test against a literal, built once. */
function literalTest(op: CompareNode["op"], literal: string): (s: string) => boolean {
  switch (op) {
    case "=":
    case "!=":
      return ignoringCase(literal);
    case "==":
    case "!==":
      return (s) => s === literal;
    case "like": {
      if (literal === "*") return () => true;
      if (!/[*?]/.test(literal)) return ignoringCase(literal);
      // `abc*` and `*abc` are the common shapes: compare the fixed part without a regular expression.
      const fixed = literal.slice(literal.startsWith("*") ? 1 : 0, literal.endsWith("*") ? -1 : undefined);
      if (!/[*?]/.test(fixed) && !/[^ -~]/.test(fixed) && literal !== `*${fixed}*`) {
        const lower = fixed.toLowerCase();
        const n = fixed.length;
        if (literal === `${fixed}*`) {
          return (s) => s.length >= n && (s.startsWith(fixed) || s.slice(0, n).toLowerCase() === lower);
        }
        return (s) => s.length >= n && (s.endsWith(fixed) || s.slice(s.length - n).toLowerCase() === lower);
      }
      return likeToTest(literal);
    }
    case "matches": {
      const compiled = compileMatches(literal);
      // Only a tree built by hand gets here with a bad pattern: parseCondition refuses it with its place.
      if ("invalid" in compiled)
        throw new RuleSyntaxError(compiled.invalid.reason, literal, compiled.invalid.offset);
      return compiled.test;
    }
  }
}

function pairTest(op: CompareNode["op"]): (a: string, b: string) => boolean {
  return op === "==" || op === "!==" ? (a, b) => a === b : equalsIgnoringCase;
}

/** The same identity: user directory and user id, ignoring case, as the hub compares users. */
function sameUser(a: unknown, b: unknown): boolean {
  const x = record(a);
  const y = record(b);
  if (x === undefined || y === undefined) return false;
  const [xd, xi, yd, yi] = [x.userDirectory, x.userId, y.userDirectory, y.userId];
  return (
    typeof xd === "string" &&
    typeof xi === "string" &&
    typeof yd === "string" &&
    typeof yi === "string" &&
    equalsIgnoringCase(xd, yd) &&
    equalsIgnoringCase(xi, yi)
  );
}

function compileCompare(node: CompareNode): Predicate {
  const negate = node.op === "!=" || node.op === "!==";
  const { left, right } = node;
  let positive: Predicate;
  if (node.users === "both" && left.kind === "path" && right.kind === "path") {
    const getLeft = compilePath(left);
    const getRight = compilePath(right);
    positive = (i) => sameUser(getLeft(i), getRight(i));
  } else if (node.users !== undefined) {
    // A user against a value: the user stands for its user id.
    const userSide = node.users === "left" ? left : right;
    const getUser = userSide.kind === "path" ? compilePath(userSide) : () => undefined;
    const getId: Getter = (i) => record(getUser(i))?.userId;
    const getOther = compileOperand(node.users === "left" ? right : left);
    if (node.users === "left" && right.kind === "string") {
      const test = literalTest(node.op, right.value);
      positive = (i) => anyValue(getId(i), test);
    } else {
      const test = pairTest(node.op);
      positive = (i) => anyValue(getId(i), (a) => anyValue(getOther(i), (b) => test(a, b)));
    }
  } else if (right.kind === "string") {
    const test = literalTest(node.op, right.value);
    const get = compileOperand(left);
    positive = (i) => anyValue(get(i), test);
  } else if (left.kind === "string") {
    // `"x" = user.name` reads like `user.name = "x"` (like/matches always have a literal on the right).
    const test = literalTest(node.op, left.value);
    const get = compilePath(right);
    positive = (i) => anyValue(get(i), test);
  } else {
    const getLeft = compilePath(left);
    const getRight = compilePath(right);
    const test = pairTest(node.op);
    positive = (i) => {
      const l = getLeft(i);
      const r = getRight(i);
      if (typeof l === "string" && typeof r === "string") return test(l, r);
      return anyValue(l, (a) => anyValue(r, (b) => test(a, b)));
    };
  }
  return negate ? (i) => !positive(i) : positive;
}

// --- functions ----------------------------------------------------------------------------------

function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return true;
  if (Array.isArray(value)) return value.every((v) => v === undefined || v === null || v === "");
  return false;
}

function compileCall(node: CallNode): Predicate {
  const target = compilePath(node.target);
  switch (node.name) {
    case "IsAnonymous":
      return (i) => {
        const directory = record(target(i))?.userDirectory;
        return typeof directory === "string" && (directory === "NONE" || directory.toUpperCase() === "NONE");
      };
    case "Empty":
      return (i) => isEmptyValue(target(i));
    case "IsOwned":
      return (i) => {
        const owner = record(record(target(i))?.owner);
        return owner !== undefined;
      };
    case "HasPrivilege": {
      const action = node.args[0]!.value as ActionName;
      return (i) => {
        const linked = record(target(i));
        if (linked === undefined || i.hasPrivilege === undefined) return false;
        return i.hasPrivilege(action, linked as unknown as RuleResource);
      };
    }
  }
}
