import type { ConditionNode, OperandNode, PathNode } from "./ast.js";

/**
 * Prints a condition in canonical form: lowercase keywords, canonical property and function names,
 * parentheses only where precedence needs them. `parseCondition(printCondition(ast))` gives `ast` back
 * (source positions aside).
 */
export function printCondition(node: ConditionNode): string {
  switch (node.kind) {
    case "always":
      return "";
    case "or":
      return node.operands.map((o) => printChild(o, o.kind === "or")).join(" or ");
    case "and":
      return node.operands.map((o) => printChild(o, o.kind === "or" || o.kind === "and")).join(" and ");
    case "not":
      return "!" + printChild(node.operand, node.operand.kind === "or" || node.operand.kind === "and");
    case "compare": {
      const op = node.op === "like" || node.op === "matches" ? ` ${node.op} ` : ` ${node.op} `;
      return printOperand(node.left) + op + printOperand(node.right);
    }
    case "call":
      return `${printPath(node.target)}.${node.name}(${node.args.map(printOperand).join(", ")})`;
  }
}

function printChild(node: ConditionNode, parenthesise: boolean): string {
  const text = printCondition(node);
  return parenthesise ? `(${text})` : text;
}

/** Prints a path: `user.@region`, `resource.app.stream.name`. */
export function printPath(path: PathNode): string {
  let text: string = path.root;
  for (const seg of path.segments) text += seg.kind === "attribute" ? `.@${seg.name}` : `.${seg.name}`;
  return text;
}

export function printOperand(operand: OperandNode): string {
  if (operand.kind === "path") return printPath(operand);
  return `"${operand.value.replace(/[\\"]/g, "\\$&")}"`;
}
