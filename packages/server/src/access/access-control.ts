import {
  type ActionName,
  type RuleContext,
  type RuleResource,
  RulesError,
  type RuleUser,
} from "@portico/rules";
import type { ConfigState } from "../config/config-state.js";
import type { AppConfig, StreamConfig } from "../config/schema.js";
import type { Metrics } from "../ops/metrics.js";
import { appObjectResource, appResource, streamResource } from "./rule-resources.js";

/** Rule decisions over the configured content, against the rule set of the current configuration. */
export class AccessControl {
  private readonly state: ConfigState;
  private readonly metrics: Metrics | undefined;

  constructor(state: ConfigState, metrics?: Metrics) {
    this.state = state;
    this.metrics = metrics;
  }

  can(user: RuleUser, action: ActionName, resource: RuleResource, context: RuleContext = "hub"): boolean {
    let allowed: boolean;
    try {
      allowed = this.state.ruleSet.can(user, action, resource, context);
    } catch (error) {
      // A HasPrivilege cycle in the rules is a configuration fault; it denies (default deny), never grants.
      if (error instanceof RulesError) allowed = false;
      else throw error;
    }
    if (!allowed) this.metrics?.inc("portico_denials_total", { code: "RULE" });
    return allowed;
  }

  readableStreams(user: RuleUser): StreamConfig[] {
    return this.state.config.streams.filter((s) => this.can(user, "read", streamResource(s, this.state)));
  }

  /** The app when it exists AND the user may read it; otherwise undefined, with no way to tell which. */
  readableApp(user: RuleUser, id: string): AppConfig | undefined {
    const app = this.state.apps.get(id);
    if (!app) return undefined;
    return this.can(user, "read", appResource(app, this.state)) ? app : undefined;
  }

  readableApps(user: RuleUser, stream: StreamConfig): AppConfig[] {
    return this.state.config.apps.filter(
      (a) => a.stream === stream.id && this.can(user, "read", appResource(a, this.state)),
    );
  }

  /** The sheets of `app` the user may read; the others are hidden like missing ones everywhere. */
  readableSheets(user: RuleUser, app: AppConfig): AppConfig["sheets"] {
    return app.sheets.filter((sheet) => this.canReadSheet(user, app, sheet));
  }

  canReadSheet(
    user: RuleUser,
    app: AppConfig,
    sheet: { id: string; title: string; description?: string | undefined },
  ): boolean {
    return this.can(
      user,
      "read",
      appObjectResource(
        { id: sheet.id, name: sheet.title, objectType: "sheet", description: sheet.description },
        app,
        this.state,
      ),
    );
  }
}
