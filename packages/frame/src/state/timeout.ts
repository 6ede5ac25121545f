import type { ErrorCode } from "@portico/protocol";
import { FrameError } from "../errors/frame-error.js";

/** Every wait on the host has a limit: a silent host must not leave the visitor in front of a spinner. */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  code: ErrorCode,
  message: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new FrameError(code, message)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
