export { adminRoutes } from "./admin/admin-routes.js";
export type { AppDataProvider, AppDataReport } from "./api/app-data-provider.js";
export {
  type AppDeps,
  createApp,
  createPorticoServer,
  DEFAULT_RATE_LIMIT,
  defaultIds,
  type PorticoApp,
} from "./app.js";
export { type ConfigState, resolveConfigPath, userKey } from "./config/config-state.js";
export { ConfigStore, EDITABLE_SECTIONS, type EditableSection } from "./config/config-store.js";
export { type ConfigIssue, formatPath } from "./config/format-issues.js";
export { loadConfigFile, parseConfigText, validateConfig } from "./config/load-config.js";
export {
  type AppConfig,
  configSchema,
  type PorticoConfig,
  type PorticoConfigInput,
  type StreamConfig,
  type VirtualProxyConfig,
} from "./config/schema.js";
export { hashSecret, verifySecret } from "./crypto/secret-hash.js";
export { AppDataService, type AppDataServiceOptions } from "./data/app-data-service.js";
export { doctorCommand } from "./doctor/doctor-command.js";
export { formatDoctor } from "./doctor/format-doctor.js";
export { type DoctorCheck, type DoctorReport, runDoctor } from "./doctor/run-doctor.js";
export { isPorticoError, PorticoError } from "./errors/portico-error.js";
export { statusForCode } from "./errors/status-for-code.js";
export { type ForwardedHeader, resolveClientIp, TrustedProxies } from "./http/client-ip.js";
export type { LicenseAttempt } from "./licenses/license-attempt.js";
export { type LicenseExplanation, LicenseService } from "./licenses/license-service.js";
export { createLogger, type LineSink, TurnBufferedDestination } from "./ops/create-logger.js";
export { Metrics } from "./ops/metrics.js";
export { readiness } from "./ops/ops-routes.js";
export { type ProbeListener, startProbeListener } from "./ops/probe-listener.js";
export { directoryFiles, type FrameFiles } from "./pages/page-routes.js";
export { sessionCookieName } from "./sessions/session-cookie.js";
export type { SessionEventMap, SessionEvents } from "./sessions/session-events.js";
export type { SessionGate } from "./sessions/session-gate.js";
export { type Ids, SessionService } from "./sessions/session-service.js";
export { SessionSweeper } from "./sessions/session-sweeper.js";
export { migrations } from "./storage/migrations/migrations.js";
export { openStorage } from "./storage/open-storage.js";
export { openPublicSqliteStorage as openSqliteStorage } from "./storage/sqlite-storage.js";
export type { SessionEndReason, SessionRecord, SessionStart, Storage } from "./storage/storage.js";
export { FileKeyRing, generateSigningKey, type KeyRing, MemoryKeyRing } from "./tickets/keys.js";
export { audienceFor, TICKET_TTL_MS, TicketSigner } from "./tickets/ticket-signer.js";
export { type IpMode, truncateIp } from "./visits/ip-privacy.js";
export type { VisitEvent } from "./visits/visit-event.js";
export { GROUP_COMMIT_WINDOW_MS, VisitLog } from "./visits/visit-log.js";
export { iterateVisits, listVisits, summarizeVisits, type VisitFilter } from "./visits/visit-query.js";
export { VisitTracker, type VisitTrackerOptions } from "./visits/visit-tracker.js";
export { VisitorAnalyticsData, type VisitorAnalyticsOptions } from "./visits/visitor-analytics.js";
