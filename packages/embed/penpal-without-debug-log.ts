import type { Plugin } from "vite";

/** A statement that calls penpal's optional `log` callback (penpal 7: `log?.(...)` at the start of a line). */
const LOG_CALL = /^(\s*)log\?\.\(/gm;

/** Turns every `log?.(...)` statement of penpal's source into dead code the minifier removes. */
export function withoutDebugLog(source: string): string {
  return source.replace(LOG_CALL, "$1void 0 && log?.(");
}

/**
 * Build step of the published SDK: penpal's debug logging, left out.
 *
 * penpal logs its handshake and every call through the `log` option of `connect()`. The SDK never passes
 * one, so each `log?.(...)` is a no-op that still ships its message templates, and no minifier can drop it
 * (`log` is a parameter). This marks those statements dead in penpal's source before bundling, so a page
 * does not download them. Nothing else of penpal changes. Pinned to penpal 7's shape: if it changes,
 * nothing matches and the size bench shows the bytes again (penpal-without-debug-log.test.ts checks the
 * installed penpal still matches and still parses). Debugging with `connect({ log })` needs this removed.
 */
export function penpalWithoutDebugLog(): Plugin {
  return {
    name: "portico:penpal-without-debug-log",
    transform(code, id) {
      if (/[\\/]node_modules[\\/]penpal[\\/]/.test(id)) return { code: withoutDebugLog(code), map: null };
    },
  };
}
