export type { ErrorBody } from "./error-codes.js";
export { ErrorCode, isErrorCode, NO_ACCESS_PASS_MESSAGE } from "./error-codes.js";
