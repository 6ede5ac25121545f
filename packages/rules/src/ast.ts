/** Offsets into the condition source: `start` inclusive, `end` exclusive. */
export interface SourceRange {
  start: number;
  end: number;
}

export type PathRoot = "user" | "resource";

/** One step of a property path: `.name` or `.@name`. */
export interface PathSegment {
  kind: "property" | "attribute";
  /** Canonical spelling for known properties; as written for attributes and environment names. */
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
