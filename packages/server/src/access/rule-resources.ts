import type { RuleResource } from "@portico/rules";
import type { AppConfig, StreamConfig } from "../config/schema.js";

/** The rule resources of configured content, with the links conditions follow (`resource.stream.*`, `resource.app.*`). */
export function streamResource(stream: StreamConfig): RuleResource {
  return { type: "Stream", id: stream.id, name: stream.name };
}

export function appResource(app: AppConfig, stream: StreamConfig | undefined): RuleResource {
  const resource: RuleResource = { type: "App", id: app.id, name: app.name, published: app.published };
  if (stream) resource.stream = streamResource(stream);
  return resource;
}

/**
 * Sheets and objects are `App.Object` resources linked to their app. Sheets written in the config are
 * the app's published content, so they are `published` exactly when the app is.
 */
export function appObjectResource(
  object: { id: string; name?: string; objectType: string },
  app: AppConfig,
  stream: StreamConfig | undefined,
): RuleResource {
  return {
    type: "App.Object",
    id: object.id,
    name: object.name ?? object.id,
    objectType: object.objectType,
    published: app.published,
    app: appResource(app, stream),
  };
}
