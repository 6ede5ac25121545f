export type {
  AppDetail,
  AppSummary,
  DimensionCell,
  FieldInfo,
  FieldStatesResult,
  FieldType,
  FieldValueInfo,
  FieldValueState,
  GridPosition,
  HubResponse,
  HypercubeResult,
  HypercubeRow,
  MeasureDef,
  ObjectType,
  PageRequest,
  QueriesRequest,
  QueriesResponse,
  QueryOutcome,
  QueryRequest,
  QueryResult,
  Selections,
  SelectionValue,
  SheetDef,
  SheetObjectDef,
  SortRequest,
  StreamSummary,
} from "./data.js";
export { MAX_BATCH_QUERIES, OBJECT_TYPES } from "./data.js";
export type { EmbedConfig } from "./embed-config.js";
export { EMBED_CONFIG_ELEMENT_ID, isEmbedConfig } from "./embed-config.js";
export type { ErrorBody } from "./error-codes.js";
export {
  ERROR_CODE_PATTERN,
  ErrorCode,
  isErrorCode,
  isErrorCodeLike,
  NO_ACCESS_PASS_MESSAGE,
} from "./error-codes.js";
export type { PrefetchedResult, TableView } from "./first-queries.js";
export { FIELD_PAGE_SIZE, firstQueries, objectQuery, TABLE_PAGE_SIZE } from "./first-queries.js";
export type {
  EmbedUrlParams,
  ExportResult,
  FrameEvent,
  FrameEventOf,
  FrameEventType,
  FrameMethods,
  FrameOption,
  HelloResponse,
  HostMethods,
  RpcFailure,
  SheetSummary,
  Theme,
  ThemeName,
  TicketReason,
  ViewKind,
} from "./rpc.js";
export {
  decodeEmbedParams,
  decodeSelectionsParam,
  encodeEmbedParams,
  encodeSelectionsParam,
  FRAME_EVENT_TYPES,
  FRAME_OPTIONS,
  isFrameEvent,
  isFrameEventOf,
  isFrameOption,
  isHelloResponse,
  isLocale,
  isRpcFailure,
  isSelections,
  isSelectionValue,
  isSessionUser,
  isTheme,
  isThemeName,
  isViewKind,
  PROTOCOL_VERSION,
  RPC_CHANNEL,
  THEME_NAMES,
  VIEW_KINDS,
} from "./rpc.js";
export type {
  AnonymousAccess,
  SessionLicense,
  SessionResponse,
  SessionUser,
  TicketClaims,
  TicketKind,
  TicketResponse,
} from "./session.js";
export type {
  VisitBeacon,
  VisitEndReason,
  VisitGroupBy,
  VisitPage,
  VisitRecord,
  VisitSummaryRow,
  VisitType,
} from "./visit.js";
export { VISIT_GROUP_BY, VISIT_TYPES } from "./visit.js";
export { withTimeout } from "./with-timeout.js";
