// What each property path may name. Property names are case-insensitive; the schema maps the
// lowercase spelling to the canonical one kept in the AST.

/** The kind of thing a path (prefix) denotes. */
export type PathKind = "user" | "resource" | "environment" | "value";

interface Shape {
  properties: Record<string, { name: string; kind: PathKind }>;
  /** Whether `.@attr` is allowed. */
  attributes: boolean;
}

const USER: Shape = {
  attributes: true,
  properties: {
    name: { name: "name", kind: "value" },
    userid: { name: "userId", kind: "value" },
    userdirectory: { name: "userDirectory", kind: "value" },
    roles: { name: "roles", kind: "value" },
    groups: { name: "groups", kind: "value" },
    email: { name: "email", kind: "value" },
    environment: { name: "environment", kind: "environment" },
  },
};

const RESOURCE: Shape = {
  attributes: true,
  properties: {
    id: { name: "id", kind: "value" },
    name: { name: "name", kind: "value" },
    resourcetype: { name: "resourcetype", kind: "value" },
    published: { name: "published", kind: "value" },
    objecttype: { name: "objectType", kind: "value" },
    stream: { name: "stream", kind: "resource" },
    app: { name: "app", kind: "resource" },
    owner: { name: "owner", kind: "user" },
  },
};

/** The canonical spellings of the environment names the hub defines; any other name is a ticket attribute. */
const ENVIRONMENT_NAMES: Record<string, string> = {
  ip: "ip",
  browser: "browser",
  os: "os",
  device: "device",
  context: "context",
  securerequest: "secureRequest",
};

export const SHAPES: Record<"user" | "resource", Shape> = { user: USER, resource: RESOURCE };

export function canonicalEnvironmentName(name: string): string {
  return ENVIRONMENT_NAMES[name.toLowerCase()] ?? name;
}

export function knownProperties(kind: "user" | "resource"): string[] {
  return Object.values(SHAPES[kind].properties).map((p) => p.name);
}
