import type { AppDetail, AppSummary } from "@portico/protocol";
import { AccessControl } from "../access/access-control.js";
import type { Requester } from "../access/requester.js";
import type { AppConfig } from "../config/schema.js";
import { readableFields } from "../data/readable-fields.js";
import type { Metrics } from "../ops/metrics.js";
import type { AppDataProvider } from "./app-data-provider.js";

/**
 * What `GET /apps/{id}` answers `requester`: the app with the sheets its user may read and the fields their
 * objects name (the data it may query), or `undefined` when the app does not exist or may not be read
 * (callers must not tell the two apart).
 */
export async function readableAppDetail(
  requester: Requester,
  o: { metrics: Metrics; appData?: AppDataProvider | undefined },
  appId: string,
): Promise<AppDetail | undefined> {
  const { state, user } = requester;
  const access = new AccessControl(state, o.metrics);
  const app = access.readableApp(user, appId);
  if (!app) return undefined;
  const stream = state.streams.get(app.stream);
  const sheets = access.readableSheets(user, app);
  const fields = readableFields(app, sheets);
  return {
    ...appSummary(app),
    stream: { id: app.stream, name: stream?.name ?? app.stream },
    sheets: sheets.map((sheet) => ({
      id: sheet.id,
      title: sheet.title,
      ...(sheet.description !== undefined ? { description: sheet.description } : {}),
      objects: sheet.objects,
    })),
    fields: o.appData ? (await o.appData.fields(app, state)).filter((field) => fields.has(field.name)) : [],
  };
}

/** An app as the hub lists it. */
export function appSummary(app: AppConfig): AppSummary {
  return {
    id: app.id,
    name: app.name,
    ...(app.description !== undefined ? { description: app.description } : {}),
    published: app.published,
  };
}
