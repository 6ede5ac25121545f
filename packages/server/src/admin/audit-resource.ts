import { ErrorCode } from "@portico/protocol";
import type { RuleResource } from "@portico/rules";
import { appObjectResource, appResource, streamResource } from "../access/rule-resources.js";
import type { ConfigState } from "../config/config-state.js";
import { PorticoError } from "../errors/portico-error.js";

/** `Stream_<id>`, `App_<id>`, `App.Object_<id>` -> the configured resource with its links. */
export function resolveAuditResource(state: ConfigState, ref: string): RuleResource {
  const at = ref.indexOf("_");
  const type = at > 0 ? ref.slice(0, at) : "";
  const id = at > 0 ? ref.slice(at + 1) : "";
  if (type === "Stream") {
    const stream = state.streams.get(id);
    if (stream) return streamResource(stream, state);
  } else if (type === "App") {
    const app = state.apps.get(id);
    if (app) return appResource(app, state);
  } else if (type === "App.Object") {
    for (const app of state.config.apps) {
      for (const sheet of app.sheets) {
        if (sheet.id === id)
          return appObjectResource(
            { id, name: sheet.title, objectType: "sheet", description: sheet.description },
            app,
            state,
          );
        const object = sheet.objects.find((o) => o.id === id);
        if (object)
          return appObjectResource({ id, name: object.title ?? id, objectType: object.type }, app, state);
      }
    }
  } else {
    throw new PorticoError(
      ErrorCode.VALIDATION_FAILED,
      "resource: expected Stream_<id>, App_<id> or App.Object_<id>",
    );
  }
  throw new PorticoError(ErrorCode.NOT_FOUND, `resource: no ${type} with id "${id}" in the configuration`);
}
