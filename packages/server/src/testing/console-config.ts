// Test support (excluded from the build): the classic set-up with console users.
import { parseDocument } from "yaml";
import { hashSecret } from "../crypto/secret-hash.js";
import { classicConfig } from "./harness.js";

export const ROOT_PASSWORD = "root-console-password";
export const READER_PASSWORD = "reader-console-password";

/** The classic set-up with a RootAdmin who can sign in, and a reader with only read on streams in qmc. */
export async function consoleConfig(base?: string): Promise<string> {
  const doc = parseDocument(base ?? (await classicConfig()));
  doc.setIn(["userDirectories", 0, "users", 1, "passwordHash"], await hashSecret(ROOT_PASSWORD));
  const users = doc.getIn(["userDirectories", 0, "users"]) as { add(value: unknown): void };
  users.add(
    doc.createNode({
      userId: "reader",
      passwordHash: await hashSecret(READER_PASSWORD),
      roles: ["StreamReader"],
    }),
  );
  const rules = doc.get("securityRules") as { add(value: unknown): void };
  rules.add(
    doc.createNode({
      name: "RootAdmin",
      resourceFilter: "*",
      actions: ["create", "read", "update", "delete", "publish"],
      condition: 'user.roles = "RootAdmin"',
      context: "both",
    }),
  );
  rules.add(
    doc.createNode({
      name: "Stream readers",
      resourceFilter: "Stream_*",
      actions: ["read"],
      condition: 'user.roles = "StreamReader"',
      context: "qmc",
    }),
  );
  return String(doc);
}
