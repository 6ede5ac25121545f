// What each property path may name. Property names are case-insensitive; the schema maps the
// lowercase spelling to the canonical one kept in the AST.

/**
 * The kind of thing a path (prefix) denotes. `missing` is a resource property Portico does not model
 * (and anything after it): it has no value.
 */
export type PathKind = "user" | "resource" | "environment" | "value" | "missing";

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
    // `group` is the modelled hub's documented name; `groups` reads the same list.
    group: { name: "group", kind: "value" },
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
    description: { name: "description", kind: "value" },
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

/** The resource types Portico has: a filter pattern or a `resourcetype` test naming another matches nothing. */
export const RESOURCE_TYPES: readonly string[] = ["Stream", "App", "App.Object"];

export const SHAPES: Record<"user" | "resource", Shape> = { user: USER, resource: RESOURCE };

export function canonicalEnvironmentName(name: string): string {
  return ENVIRONMENT_NAMES[name.toLowerCase()] ?? name;
}

/** The canonical name of a built-in user property (`user.email`), or undefined: attributes of that name are shadowed. */
export function builtInUserProperty(name: string): string | undefined {
  return USER.properties[name.toLowerCase()]?.name;
}
