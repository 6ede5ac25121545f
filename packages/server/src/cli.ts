#!/usr/bin/env node
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { ACTION_NAMES, type ActionName, type RuleExplanation } from "@portico/rules";
import { buildRuleUser, parseUserRef } from "./access/rule-user.js";
import { resolveAuditResource } from "./admin/audit-resource.js";
import { configInvalid } from "./config/format-issues.js";
import { loadConfigFile } from "./config/load-config.js";
import { hashSecret } from "./crypto/secret-hash.js";
import { checkAppData } from "./data/check-app-data.js";
import { doctorCommand } from "./doctor/doctor-command.js";
import { isPorticoError } from "./errors/portico-error.js";
import { INIT_USAGE, initCommand } from "./init/init-command.js";
import { startServer } from "./node.js";
import { locateSdk } from "./sdk/locate-sdk.js";
import { withVisitorAnalytics } from "./visits/visitor-analytics.js";
import { visitsCommand } from "./visits/visits-command.js";

const USAGE = `portico <command> [options]

  init (--csv FILE | --sqlite FILE --table T) [--origin URL] [--app ID] [--port N] [--force] [--config portico.yaml]
                                                         write a portico.yaml with a first dashboard
  serve [--config portico.yaml] [--port N] [--host H]   start the server (PORT env also overrides the port)
  check [--config portico.yaml]                          validate the configuration and its rules
  audit --user DIR\\\\id --resource App_<id> [--action read] [--context hub] [--config portico.yaml]
                                                         explain a rule decision
  doctor --proxy <prefix> --app <id> [--json] [--config portico.yaml]
                                                         check the requirements for anonymous access
  hash-password                                          read a secret (stdin or prompt), print its scrypt hash
  visits export [--from T] [--to T] [--format csv|jsonl] [--app A] [--proxy P] [--config portico.yaml]
                                                         stream the visit log to stdout

  --config defaults to $PORTICO_CONFIG, else portico.yaml in the current folder.
`;

/** Commands that read (or, for init, write) a configuration file. */
const CONFIG_COMMANDS = new Set(["init", "serve", "check", "audit", "doctor", "visits"]);

/** `PORTICO_CONFIG` stands for `--config` when the command line has none (a service unit sets it once). */
function withConfigFromEnv(command: string | undefined, args: string[]): string[] {
  const fromEnv = process.env.PORTICO_CONFIG;
  if (!fromEnv || command === undefined || !CONFIG_COMMANDS.has(command)) return args;
  return args.some((a) => a === "--config" || a.startsWith("--config="))
    ? args
    : [...args, "--config", fromEnv];
}

async function main(argv: string[]): Promise<number> {
  const [command, ...given] = argv;
  const rest = withConfigFromEnv(command, given);
  switch (command) {
    case "init": {
      if (rest.includes("--help")) {
        process.stdout.write(INIT_USAGE);
        return 0;
      }
      // One interface and its line iterator for every question: lines typed ahead wait in the iterator
      // instead of being dropped between two questions.
      const terminal = process.stdin.isTTY
        ? createInterface({ input: process.stdin, output: process.stderr })
        : undefined;
      const lines = terminal?.[Symbol.asyncIterator]();
      try {
        return await initCommand(rest, {
          out: (text) => process.stdout.write(text),
          err: (text) => process.stderr.write(text),
          ...(lines
            ? {
                ask: async (question: string) => {
                  process.stderr.write(question);
                  const line = await lines.next();
                  return line.done ? "" : line.value;
                },
              }
            : {}),
          sdkVersion: locateSdk(import.meta.url)?.version,
        });
      } finally {
        terminal?.close();
      }
    }
    case "serve":
      return serveCommand(rest);
    case "check":
      return checkCommand(rest);
    case "audit":
      return auditCommand(rest);
    case "doctor":
      return doctorCommand(rest, {
        out: (text) => process.stdout.write(text),
        err: (text) => process.stderr.write(text),
      });
    case "hash-password":
      return hashPasswordCommand();
    case "visits":
      return visitsCommand(rest, { out: process.stdout, err: (text) => process.stderr.write(text) });
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`portico: unknown command "${command}"\n\n${USAGE}`);
      return 1;
  }
}

async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: "string", default: "portico.yaml" },
      port: { type: "string" },
      host: { type: "string" },
    },
  });
  const portText = values.port ?? process.env.PORT;
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
    process.stderr.write(`portico serve: --port must be an integer 0-65535, got "${portText}"\n`);
    return 1;
  }
  const server = await startServer({
    configPath: values.config,
    ...(port !== undefined ? { port } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
  });
  // The first signal closes gracefully (in-flight requests are answered with `Connection: close`, then the
  // process exits); a second one, with the handlers gone, ends the process at once.
  await new Promise<void>((resolve, reject) => {
    const stop = () => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      server.close().then(resolve, reject);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
  return 0;
}

async function checkCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: "string", default: "portico.yaml" } } });
  const state = await loadConfigFile(values.config, [withVisitorAnalytics]);
  // Objects name fields of the data files: read their headers so a typo fails here, not at `serve`.
  const dataIssues = await checkAppData(state);
  if (dataIssues.length > 0) throw configInvalid(dataIssues);
  const c = state.config;
  process.stdout.write(
    `${state.configPath}: OK — ${c.virtualProxies.length} virtual prox${c.virtualProxies.length === 1 ? "y" : "ies"}, ` +
      `${c.streams.length} streams, ${c.apps.length} apps, ${state.rules.length} security rules` +
      `${c.securityRules ? "" : " (defaults)"}\n`,
  );
  for (const warning of state.warnings)
    process.stdout.write(`warning: ${warning.path}: ${warning.message}\n`);
  return 0;
}

async function auditCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: "string", default: "portico.yaml" },
      user: { type: "string" },
      resource: { type: "string" },
      action: { type: "string", default: "read" },
      context: { type: "string", default: "hub" },
    },
  });
  const ref = values.user === undefined ? undefined : parseUserRef(values.user);
  if (!ref || values.resource === undefined) {
    process.stderr.write("portico audit: --user DIR\\id and --resource Type_<id> are required\n");
    return 1;
  }
  if (!(ACTION_NAMES as string[]).includes(values.action)) {
    process.stderr.write(`portico audit: --action must be one of ${ACTION_NAMES.join(", ")}\n`);
    return 1;
  }
  if (values.context !== "hub" && values.context !== "qmc") {
    process.stderr.write("portico audit: --context must be hub or qmc\n");
    return 1;
  }
  const state = await loadConfigFile(values.config, [withVisitorAnalytics]);
  const resource = resolveAuditResource(state, values.resource);
  const user = buildRuleUser({ ...ref, attributes: {} }, state, {
    ip: "127.0.0.1",
    userAgent: undefined,
    secure: false,
    context: values.context,
  });
  const explanation = state.ruleSet.explain(user, values.action as ActionName, resource, values.context);
  process.stdout.write(formatExplanation(`${ref.userDirectory}\\${ref.userId}`, explanation));
  return explanation.allowed ? 0 : 2;
}

function formatExplanation(who: string, e: RuleExplanation): string {
  const lines = [
    `${e.allowed ? "ALLOWED" : "DENIED"}: ${who} ${e.action} ${e.resource.type}_${e.resource.id} (${e.context})`,
  ];
  for (const v of e.rules) {
    const mark = v.applies ? "+" : " ";
    let line = `  ${mark} ${v.name}: ${v.reason}`;
    if (v.falseBecause)
      line += ` [false because ${v.falseBecause.text} at line ${v.falseBecause.line}, column ${v.falseBecause.column}]`;
    lines.push(line);
  }
  return `${lines.join("\n")}\n`;
}

async function hashPasswordCommand(): Promise<number> {
  const secret = await readSecret();
  if (secret === "") {
    process.stderr.write("portico hash-password: empty secret\n");
    return 1;
  }
  process.stdout.write(`${await hashSecret(secret)}\n`);
  return 0;
}

/** The first line of stdin when piped; a prompt (input not echoed) on a terminal. */
async function readSecret(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return (Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "").trim();
  }
  process.stderr.write("Secret: ");
  const rl = createInterface({ input: process.stdin, terminal: true });
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  const line = await new Promise<string>((resolve) => rl.question("", resolve));
  rl.close();
  process.stderr.write("\n");
  return line.trim();
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `portico: ${isPorticoError(error) ? error.message : ((error as Error).stack ?? String(error))}\n`,
    );
    process.exitCode = 1;
  },
);
