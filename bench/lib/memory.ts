import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** The garbage collector, for measuring what a loaded model holds. */
export function collectGarbage(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** Heap and array-buffer bytes in use after two collections. */
export function memoryNow(gc: () => void): { heap: number; buffers: number } {
  gc();
  gc();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, buffers: usage.arrayBuffers };
}
