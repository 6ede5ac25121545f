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
  QueryRequest,
  QueryResult,
  Selections,
  SelectionValue,
  SheetDef,
  SheetObjectDef,
  SortRequest,
  StreamSummary,
} from "./data.js";
export { OBJECT_TYPES } from "./data.js";
export type { ErrorBody } from "./error-codes.js";
export { ErrorCode, isErrorCode, NO_ACCESS_PASS_MESSAGE } from "./error-codes.js";
export type {
  AnonymousAccess,
  SessionLicense,
  SessionResponse,
  SessionUser,
  TicketClaims,
  TicketKind,
  TicketResponse,
} from "./session.js";
