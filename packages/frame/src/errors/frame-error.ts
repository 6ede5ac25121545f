import { type ErrorCode, isErrorCode } from "@portico/protocol";

/** The frame's one error class: a stable catalogue `code` plus a message for logs and the host. */
export class FrameError extends Error {
  readonly code: ErrorCode;
  /** HTTP status when the error came from the server (0 when the server was unreachable). */
  readonly status: number | undefined;

  constructor(code: ErrorCode, message: string, status?: number) {
    super(message);
    this.name = "FrameError";
    this.code = code;
    this.status = status;
  }

  /** The plain `RpcFailure` shape: penpal clones plain objects intact, but strips an Error to name+message. */
  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Anything thrown, as a FrameError (unknown failures become INTERNAL without leaking details). */
export function toFrameError(error: unknown): FrameError {
  if (error instanceof FrameError) return error;
  if (typeof error === "object" && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (isErrorCode(code) && typeof message === "string") return new FrameError(code, message);
  }
  return new FrameError("INTERNAL", "Something went wrong inside the frame");
}

/** Errors that mean "this session is gone": the frame gets a new one and retries the request once. */
export function isSessionError(error: FrameError): boolean {
  return (
    error.code === "SESSION_EXPIRED" || error.code === "UNAUTHENTICATED" || error.code === "SESSION_REVOKED"
  );
}
