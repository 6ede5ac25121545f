import type { RuleResource, RuleUser } from "@portico/rules";
import type { ConfigState } from "../config/config-state.js";
import type { AppConfig, StreamConfig } from "../config/schema.js";
import { directoryUser, parseUserRef } from "./rule-user.js";

/** What the resource builders read from the configuration: streams for links, users for owners. */
export type ResourceContext = Pick<ConfigState, "streams" | "users">;

/** The rule resources of configured content, with the links conditions follow (`resource.stream.*`, `resource.app.*`). */
export function streamResource(stream: StreamConfig, context: ResourceContext): RuleResource {
  const resource: RuleResource = { type: "Stream", id: stream.id, name: stream.name };
  describe(resource, stream, context);
  return resource;
}

export function appResource(app: AppConfig, context: ResourceContext): RuleResource {
  const resource: RuleResource = { type: "App", id: app.id, name: app.name, published: app.published };
  describe(resource, app, context);
  const stream = context.streams.get(app.stream);
  if (stream) resource.stream = streamResource(stream, context);
  return resource;
}

/**
 * Sheets and objects are `App.Object` resources linked to their app. Sheets written in the config are
 * the app's published content, so they are `published` exactly when the app is, and its owner's (the
 * hub's base sheets belong to the app's owner).
 */
export function appObjectResource(
  object: { id: string; name?: string; objectType: string; description?: string | undefined },
  app: AppConfig,
  context: ResourceContext,
): RuleResource {
  const resource: RuleResource = {
    type: "App.Object",
    id: object.id,
    name: object.name ?? object.id,
    objectType: object.objectType,
    published: app.published,
    app: appResource(app, context),
  };
  if (object.description !== undefined) resource.description = object.description;
  const owner = ownerOf(app.owner, context);
  if (owner) resource.owner = owner;
  return resource;
}

function describe(
  resource: RuleResource,
  written: {
    description?: string | undefined;
    owner?: string | undefined;
    customProperties?: Record<string, string | string[]> | undefined;
  },
  context: ResourceContext,
): void {
  if (written.description !== undefined) resource.description = written.description;
  if (written.customProperties !== undefined) resource.properties = written.customProperties;
  const owner = ownerOf(written.owner, context);
  if (owner) resource.owner = owner;
}

/** The owner as rules see a user: what its directory entry says, when it has one. */
function ownerOf(written: string | undefined, context: ResourceContext): RuleUser | undefined {
  const ref = written === undefined ? undefined : parseUserRef(written);
  return ref && directoryUser(ref, context);
}
