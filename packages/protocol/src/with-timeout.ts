/**
 * `promise`, or a rejection with `onTimeout()` once `ms` have passed, whichever comes first. Both sides of
 * the RPC (the SDK and the frame) bound every wait with it; each passes its own error class.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
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
