import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import pino from "pino";
import { loadConfigFile } from "../config/load-config.js";
import { LicenseService } from "../licenses/license-service.js";
import { openStorage } from "../storage/open-storage.js";
import { withVisitorAnalytics } from "../visits/visitor-analytics.js";
import { formatDoctor } from "./format-doctor.js";
import { runDoctor } from "./run-doctor.js";

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * `portico doctor --proxy <prefix> --app <id> [--config portico.yaml] [--json]`. Reads the pools from the
 * configured storage (so "pool exhausted" is the live answer). Exit code 0 when anonymous access works,
 * 2 when a requirement fails, 1 for bad usage.
 */
export async function doctorCommand(
  args: string[],
  io: CommandIo,
  clock: () => number = Date.now,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: "string", default: "portico.yaml" },
      proxy: { type: "string" },
      app: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (values.proxy === undefined || values.app === undefined) {
    io.err(
      'portico doctor: --proxy <prefix> and --app <id> are required (--proxy "" for the default proxy)\n',
    );
    return 1;
  }
  const state = await loadConfigFile(values.config, [withVisitorAnalytics]);
  const storage = await openStorage(state.storageUrl, state.storageSettings);
  try {
    const licenses = new LicenseService({
      storage,
      config: () => state,
      clock,
      uuid: randomUUID,
      logger: pino({ level: "silent" }),
    });
    const report = await runDoctor(state, licenses, { proxy: values.proxy, app: values.app }, randomUUID);
    io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctor(report));
    return report.ok ? 0 : 2;
  } finally {
    await storage.close();
  }
}
