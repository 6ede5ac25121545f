import { html, nothing, type TemplateResult } from "lit";
import type { ConsoleApi } from "./qmc-api.js";
import type { QmcTranslate } from "./qmc-strings.js";
import { qmcTable } from "./qmc-table.js";

/** One decision of the audit: a resource, whether the user may read it, and every rule's reason. */
export interface AuditCell {
  /** `Stream_<id>`, `App_<id>` or `App.Object_<sheet id>`. */
  resource: string;
  /** What the administrator reads: the stream's or app's name, a sheet's title under its app. */
  label: string;
  allowed: boolean;
  rules: Array<{ name: string; applies: boolean; reason: string }>;
}

interface Content {
  streams: Array<{ id: string; name: string }>;
  apps: Array<{ id: string; name: string; sheets?: Array<{ id: string; title: string }> }>;
}

/**
 * Which streams, apps and sheets `user` may read in `context`, each with its explanation: one audit per
 * resource (`POST /audit`), so the decision is the server's, rule by rule.
 */
export async function auditMatrix(
  api: ConsoleApi,
  content: Content,
  user: string,
  context: string,
): Promise<AuditCell[]> {
  const resources: Array<{ resource: string; label: string }> = [
    ...content.streams.map((s) => ({ resource: `Stream_${s.id}`, label: s.name })),
    ...content.apps.flatMap((a) => [
      { resource: `App_${a.id}`, label: a.name },
      ...(a.sheets ?? []).map((sheet) => ({
        resource: `App.Object_${sheet.id}`,
        label: `${a.name} › ${sheet.title}`,
      })),
    ]),
  ];
  return Promise.all(
    resources.map(async ({ resource, label }) => {
      const answer = await api.post<Omit<AuditCell, "resource" | "label">>("/audit", {
        user,
        resource,
        action: "read",
        context,
      });
      return { resource, label, allowed: answer.allowed, rules: answer.rules };
    }),
  );
}

/** The matrix as a table: each cell a button that shows why (`onWhy`). */
export function auditTable(
  t: QmcTranslate,
  cells: AuditCell[],
  onWhy: (cell: AuditCell) => void,
): TemplateResult | typeof nothing {
  if (cells.length === 0) return nothing;
  return qmcTable(
    [
      { label: t("auditResource"), cell: (c: AuditCell) => html`${c.label} <code>${c.resource}</code>` },
      {
        label: t("canRead"),
        cell: (c: AuditCell) =>
          html`<button class=${`button badge ${c.allowed ? "pass" : "fail"}`}
            aria-label=${`${c.allowed ? t("allowed") : t("denied")}: ${c.label}`} @click=${() => onWhy(c)}>
            ${c.allowed ? t("allowed") : t("denied")}
          </button>`,
      },
    ],
    cells,
  );
}
