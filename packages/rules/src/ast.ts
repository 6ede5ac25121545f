/** Offsets into the condition source: `start` inclusive, `end` exclusive. */
export interface SourceRange {
  start: number;
  end: number;
}

export type PathRoot = "user" | "resource";

/**
 * One step of a property path:
 * - `property`: a property Portico models (`.name`, `.stream`), or an environment name;
 * - `attribute`: `.@name`, a user or resource attribute;
 * - `namedAttribute`: `.department` on a user, a directory or ticket attribute written without `@` (as
 *   the modelled hub's rule editor writes them); it reads the same value as `.@department`;
 * - `unmodelled`: a property of a resource that Portico does not model (`.ContentLibrarys`,
 *   `.category`): the path is missing from here on, as in the hub for a property a resource lacks.
 */
export interface PathSegment {
  kind: "property" | "attribute" | "namedAttribute" | "unmodelled";
  /** Canonical spelling for known properties; as written for everything else. */
  name: string;
  loc: SourceRange;
}

/** `user.name`, `resource.app.stream.@region`, `user.environment.ip`. */
export interface PathNode {
  kind: "path";
  root: PathRoot;
  segments: PathSegment[];
  loc: SourceRange;
}

export interface StringNode {
  kind: "string";
  value: string;
  loc: SourceRange;
}

export type OperandNode = PathNode | StringNode;

export type CompareOperator = "=" | "!=" | "==" | "!==" | "like" | "matches";

export interface CompareNode {
  kind: "compare";
  op: CompareOperator;
  left: OperandNode;
  right: OperandNode;
  /**
   * Which sides name users. `both` (`resource.owner = user`): equal when they are the same identity,
   * user directory and user id, ignoring case. `left` or `right` (`resource.owner = user.userId`, as
   * some of the hub's published rules write it): that side stands for its user id.
   */
  users?: "both" | "left" | "right";
  loc: SourceRange;
}

export type FunctionName = "IsAnonymous" | "HasPrivilege" | "Empty" | "IsOwned";

/** `user.IsAnonymous()`, `resource.stream.HasPrivilege("read")`, `X.Empty()`, `resource.IsOwned()`. */
export interface CallNode {
  kind: "call";
  target: PathNode;
  name: FunctionName;
  args: StringNode[];
  loc: SourceRange;
}

export interface NotNode {
  kind: "not";
  operand: ConditionNode;
  loc: SourceRange;
}

/** `and`/`&&` (or `or`/`||`) over two or more operands, in source order. */
export interface LogicalNode {
  kind: "and" | "or";
  operands: ConditionNode[];
  loc: SourceRange;
}

/** The empty condition: always holds. */
export interface AlwaysNode {
  kind: "always";
  loc: SourceRange;
}

export type ConditionNode = AlwaysNode | LogicalNode | NotNode | CompareNode | CallNode;
