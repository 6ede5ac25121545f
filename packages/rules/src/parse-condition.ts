import { ACTION_NAMES, isActionName } from "./actions.js";
import type {
  CallNode,
  CompareNode,
  ConditionNode,
  FunctionName,
  OperandNode,
  PathNode,
  PathSegment,
  SourceRange,
  StringNode,
} from "./ast.js";
import { compileMatches } from "./compile-matches.js";
import { RuleSyntaxError } from "./errors.js";
import { parse as parseRaw } from "./grammar/parser.generated.js";
import { likeToTest } from "./patterns.js";
import { canonicalEnvironmentName, type PathKind, SHAPES } from "./schema.js";

// The raw tree the generated parser builds (see grammar/condition.peggy).
interface RawSegment {
  kind: "property" | "attribute";
  name: string;
  loc: SourceRange;
}
interface RawPath {
  kind: "path";
  root: string;
  rootLoc: SourceRange;
  segments: RawSegment[];
  loc: SourceRange;
}
type RawOperand = RawPath | StringNode;
type RawNode =
  | { kind: "always"; loc: SourceRange }
  | { kind: "and" | "or"; operands: RawNode[]; loc: SourceRange }
  | { kind: "not"; operand: RawNode; loc: SourceRange }
  | { kind: "compare"; op: CompareNode["op"]; left: RawOperand; right: RawOperand; loc: SourceRange }
  | {
      kind: "call";
      target: RawPath | null;
      name: string;
      nameLoc: SourceRange;
      args: RawOperand[];
      loc: SourceRange;
    };

interface PeggyError {
  message: string;
  location?: { start: { offset: number } };
}

function isPeggyError(e: unknown): e is PeggyError {
  return e instanceof Error && e.name === "SyntaxError" && "location" in e;
}

/**
 * Parses a condition into its syntax tree, checking every name: an unknown property root, property,
 * function, a function on the wrong kind of target, a wrong number of arguments, an unknown action in
 * `HasPrivilege`, an invalid `matches` expression, an unterminated string or trailing text all throw a
 * `RuleSyntaxError` with line, column and a caret excerpt. An empty condition parses to `always`.
 */
export function parseCondition(source: string): ConditionNode {
  if (typeof source !== "string") throw new TypeError("a condition must be a string");
  let raw: RawNode;
  try {
    raw = parseRaw(source, {}) as RawNode;
  } catch (e) {
    if (isPeggyError(e)) throw new RuleSyntaxError(e.message, source, e.location?.start.offset ?? 0);
    // Thousands of nested parentheses exhaust the parser's stack: still bad input, not a crash.
    if (e instanceof RangeError) throw new RuleSyntaxError(TOO_DEEP, source, 0);
    throw e;
  }
  return checkNode(raw, source, 0);
}

/** Deeper nesting than any rule a person writes; it bounds recursion when compiling and evaluating. */
export const MAX_CONDITION_DEPTH = 100;
const TOO_DEEP = `the condition nests parentheses or ! more than ${MAX_CONDITION_DEPTH} levels deep`;

function fail(source: string, at: SourceRange, reason: string): never {
  throw new RuleSyntaxError(reason, source, at.start);
}

function checkNode(node: RawNode, source: string, depth: number): ConditionNode {
  if (depth > MAX_CONDITION_DEPTH) fail(source, node.loc, TOO_DEEP);
  switch (node.kind) {
    case "always":
      return { kind: "always", loc: node.loc };
    case "and":
    case "or":
      return {
        kind: node.kind,
        operands: node.operands.map((o) => checkNode(o, source, depth + 1)),
        loc: node.loc,
      };
    case "not":
      return { kind: "not", operand: checkNode(node.operand, source, depth + 1), loc: node.loc };
    case "compare":
      return checkCompare(node, source);
    case "call":
      return checkCall(node, source);
  }
}

function checkCompare(
  node: { op: CompareNode["op"]; left: RawOperand; right: RawOperand; loc: SourceRange },
  source: string,
): CompareNode {
  const left = checkOperand(node.left, source);
  const right = checkOperand(node.right, source);
  const base = {
    kind: "compare",
    op: node.op,
    left: left.operand,
    right: right.operand,
    loc: node.loc,
  } as const;
  if (left.kind === "user" || right.kind === "user") {
    // `resource.owner = user`: identities. A user against a value (`resource.owner = user.userId`, as
    // some of the hub's published rules write it) stands for its user id.
    const other = left.kind === "user" ? right : left;
    if (other.kind === "user" || other.kind === "missing") {
      if (node.op === "like" || node.op === "matches") {
        fail(
          source,
          node.loc,
          `${node.op} compares text; a user compares with = or != (e.g. resource.owner = user)`,
        );
      }
      return { ...base, users: "both" };
    }
    requireValue(other, source);
    checkPattern(node.op, right.operand, source);
    return { ...base, users: left.kind === "user" ? "left" : "right" };
  }
  requireValue(left, source);
  requireValue(right, source);
  checkPattern(node.op, right.operand, source);
  return base;
}

/** The pattern of `like` and `matches`: a string literal that compiles. */
function checkPattern(op: CompareNode["op"], right: OperandNode, source: string): void {
  if (op !== "like" && op !== "matches") return;
  if (right.kind !== "string") {
    fail(source, right.loc, `the pattern of ${op} must be a string in double quotes`);
  }
  if (op === "like") {
    try {
      likeToTest(right.value);
    } catch (e) {
      fail(source, right.loc, `invalid like pattern: ${e instanceof Error ? e.message : String(e)}`);
    }
    return;
  }
  const compiled = compileMatches(right.value);
  if ("invalid" in compiled) {
    const at = sourceOffsetInString(source, right.loc.start, compiled.invalid.offset);
    throw new RuleSyntaxError(
      `invalid regular expression for matches: ${compiled.invalid.reason}`,
      source,
      at,
    );
  }
}

/**
 * The source offset of character `index` of the string literal whose opening quote is at `quote`:
 * `\"` and `\\` take two source characters for one, so a problem inside a pattern is pointed at
 * exactly. Offset 0 points at the opening quote, as for an error about the whole pattern.
 */
function sourceOffsetInString(source: string, quote: number, index: number): number {
  if (index === 0) return quote;
  let at = quote + 1;
  for (let n = 0; n < index; n++) {
    at += source[at] === "\\" && (source[at + 1] === '"' || source[at + 1] === "\\") ? 2 : 1;
  }
  return at;
}

function checkOperand(operand: RawOperand, source: string): { operand: OperandNode; kind: PathKind } {
  if (operand.kind === "string") return { operand, kind: "value" };
  const { path, kind } = checkPath(operand, source);
  return { operand: path, kind };
}

/** A side of a comparison of values: a string, a value, or a missing (unmodelled) property. */
function requireValue({ operand, kind }: { operand: OperandNode; kind: PathKind }, source: string): void {
  if (kind === "value" || kind === "missing" || operand.kind !== "path") return;
  const hint =
    kind === "environment"
      ? "name an environment value, e.g. user.environment.ip"
      : `compare one of its properties, e.g. ${printPathText(operand)}.name`;
  fail(source, operand.loc, `${printPathText(operand)} is a ${kindLabel(kind)}, not a value: ${hint}`);
}

function kindLabel(kind: PathKind): string {
  return kind === "environment" ? "set of environment values" : kind;
}

function printPathText(path: PathNode): string {
  return (
    path.root + path.segments.map((s) => (s.kind === "attribute" ? `.@${s.name}` : `.${s.name}`)).join("")
  );
}

function checkPath(raw: RawPath, source: string): { path: PathNode; kind: PathKind } {
  const rootName = raw.root.toLowerCase();
  if (rootName !== "user" && rootName !== "resource") {
    fail(source, raw.rootLoc, `unknown property root "${raw.root}" (a path starts with user or resource)`);
  }
  let kind: PathKind = rootName;
  const segments: PathSegment[] = [];
  for (const seg of raw.segments) {
    if (kind === "missing") {
      // Past a property Portico does not model nothing has a value, whatever follows (`.a.b`, `.@x`).
      segments.push({ kind: "unmodelled", name: seg.name, loc: seg.loc });
      continue;
    }
    if (kind === "value") {
      fail(source, seg.loc, `"${seg.name}" cannot follow a value in ${raw.root}${pathSuffix(raw, seg)}`);
    }
    if (kind === "environment") {
      if (seg.kind === "attribute") {
        fail(source, seg.loc, `user.environment takes a name, not @${seg.name}`);
      }
      segments.push({ kind: "property", name: canonicalEnvironmentName(seg.name), loc: seg.loc });
      kind = "value";
      continue;
    }
    if (seg.kind === "attribute") {
      segments.push({ kind: "attribute", name: seg.name, loc: seg.loc });
      kind = "value";
      continue;
    }
    const property: { name: string; kind: PathKind } | undefined =
      SHAPES[kind].properties[seg.name.toLowerCase()];
    if (property) {
      segments.push({ kind: "property", name: property.name, loc: seg.loc });
      kind = property.kind;
    } else if (kind === "user") {
      // The hub's rule editor offers directory attributes by name (`user.department`).
      segments.push({ kind: "namedAttribute", name: seg.name, loc: seg.loc });
      kind = "value";
    } else {
      // A property the hub's resources have and Portico's do not (`resource.category`): it is missing,
      // as the hub treats a property a resource lacks, and `ruleWarnings` says so.
      segments.push({ kind: "unmodelled", name: seg.name, loc: seg.loc });
      kind = "missing";
    }
  }
  return { path: { kind: "path", root: rootName, segments, loc: raw.loc }, kind };
}

function pathSuffix(raw: RawPath, upTo: RawSegment): string {
  let text = "";
  for (const seg of raw.segments) {
    text += seg.kind === "attribute" ? `.@${seg.name}` : `.${seg.name}`;
    if (seg === upTo) break;
  }
  return text;
}

// Every function also applies to a missing path (a property Portico does not model): Empty() holds
// there and the others do not, as in the hub for a property a resource lacks.
const FUNCTIONS: Record<string, { name: FunctionName; targets: PathKind[]; arity: number }> = {
  isanonymous: { name: "IsAnonymous", targets: ["user", "missing"], arity: 0 },
  hasprivilege: { name: "HasPrivilege", targets: ["resource", "missing"], arity: 1 },
  empty: { name: "Empty", targets: ["user", "resource", "value", "missing"], arity: 0 },
  isowned: { name: "IsOwned", targets: ["resource", "missing"], arity: 0 },
};

function checkCall(
  node: { target: RawPath | null; name: string; nameLoc: SourceRange; args: RawOperand[]; loc: SourceRange },
  source: string,
): CallNode {
  const fn = FUNCTIONS[node.name.toLowerCase()];
  if (!fn) {
    const known = Object.values(FUNCTIONS)
      .map((f) => `${f.name}()`)
      .join(", ");
    fail(source, node.nameLoc, `unknown function "${node.name}()" (expected ${known})`);
  }
  if (!node.target) {
    fail(
      source,
      node.nameLoc,
      `${fn.name}() needs a target, e.g. ${fn.targets[0] === "user" ? "user" : "resource"}.${fn.name}()`,
    );
  }
  const { path, kind } = checkPath(node.target, source);
  if (!fn.targets.includes(kind)) {
    fail(
      source,
      node.nameLoc,
      `${fn.name}() applies to ${fn.targets
        .filter((t) => t !== "missing")
        .map((t) => (t === "value" ? "a property" : `a ${t}`))
        .join(
          " or ",
        )}, and ${printPathText(path)} is ${kind === "value" ? "a value" : `a ${kindLabel(kind)}`}`,
    );
  }
  if (node.args.length !== fn.arity) {
    const at = node.args[fn.arity] ?? node.args[0] ?? { loc: node.nameLoc };
    fail(
      source,
      at.loc,
      `${fn.name}() takes ${fn.arity === 0 ? "no arguments" : `${fn.arity} argument`}, got ${node.args.length}`,
    );
  }
  const args: StringNode[] = [];
  for (const arg of node.args) {
    if (arg.kind !== "string") fail(source, arg.loc, `the argument of ${fn.name}() must be a string`);
    args.push(arg);
  }
  if (fn.name === "HasPrivilege") {
    const action = args[0]!;
    const normalised = action.value.toLowerCase();
    if (!isActionName(normalised)) {
      fail(
        source,
        action.loc,
        `unknown action "${action.value}" in HasPrivilege() (expected ${ACTION_NAMES.join(", ")})`,
      );
    }
    args[0] = { kind: "string", value: normalised, loc: action.loc };
  }
  return { kind: "call", target: path, name: fn.name, args, loc: node.loc };
}
