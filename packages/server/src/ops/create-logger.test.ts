import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createLogger, logRequest, TurnBufferedDestination } from "./create-logger.js";

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line));
      }
      done();
    },
  });
  return { lines, raw, destination };
}

const line = { method: "POST", path: "/anon/api/v1/visits/beacon", status: 204, ms: 3, ip: "203.0.113.7" };

describe("the request line", () => {
  it("goes to the logger's destination, in order, in the form of every other line", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ destination });
    logger.info({ step: 1 }, "before");
    logRequest(logger, line);
    logger.info({ step: 2 }, "after");
    expect(lines.map((l) => l.msg)).toEqual(["before", "request", "after"]);
    const [before, request] = lines;
    expect(Object.keys(request ?? {}).slice(0, 3)).toEqual(["level", "time", "service"]);
    expect(Object.keys(before ?? {}).slice(0, 3)).toEqual(["level", "time", "service"]);
    expect(request).toMatchObject({ level: 30, service: "portico", ...line });
  });

  it("follows the logger's level, also when it is changed later", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: "warn", destination });
    logRequest(logger, line);
    expect(lines).toEqual([]);
    logger.level = "info";
    logRequest(logger, line);
    logger.level = "error";
    logRequest(logger, line);
    expect(lines.map((l) => l.msg)).toEqual(["request"]);
  });

  it("leaves every other line to the redacting logger", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ destination });
    logRequest(logger, line);
    logger.info({ authorization: "Bearer abc", body: { ticket: "t-123" } }, "careless");
    expect(JSON.stringify(lines.at(-1))).not.toMatch(/abc|t-123/);
    expect(lines.at(-1)).toMatchObject({ authorization: "[redacted]", body: { ticket: "[redacted]" } });
  });

  it("is, key for key and byte for byte apart from the time, the line pino writes", () => {
    const ours = capture();
    const pinos = capture();
    const logger = createLogger({ destination: ours.destination });
    const reference = pino({ base: { service: "portico" } }, pinos.destination);
    const odd = [
      line,
      { ...line, path: '/a"b\\c\n\u0001\u2028é😀', ip: "::ffff:10.0.0.1", ms: 0.5 },
      { ...line, method: "GET", status: 500, ms: Number.NaN },
      { ...line, ms: Number.POSITIVE_INFINITY },
    ];
    for (const l of odd) {
      logRequest(logger, l);
      reference.info(l, "request");
    }
    const withoutTime = (l: Record<string, unknown>) => {
      const { time, ...rest } = l;
      expect(typeof time).toBe("number");
      return rest;
    };
    expect(ours.lines.map(withoutTime)).toEqual(pinos.lines.map(withoutTime));
    const untimed = (text: string) => text.replace(/"time":\d+,/, '"time":0,');
    expect(ours.raw.map(untimed)).toEqual(pinos.raw.map(untimed));
    expect(ours.lines[1]?.path).toBe('/a"b\\c\n\u0001\u2028é😀');
    expect(ours.lines[2]?.ms).toBeNull();
  });

  it("is written by any other pino logger, a child of ours too, through pino", () => {
    const { lines, destination } = capture();
    logRequest(pino({ base: { service: "other" } }, destination), line);
    const child = createLogger({ destination }).child({ component: "x" });
    logRequest(child, line);
    expect(lines).toEqual([
      expect.objectContaining({ service: "other", msg: "request", ...line }),
      expect.objectContaining({ service: "portico", component: "x", msg: "request", ...line }),
    ]);
  });
});

/** A sink that keeps each write it gets as one string. */
function writes() {
  const calls: string[] = [];
  return { calls, sink: { write: (text: string) => calls.push(text) } };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("TurnBufferedDestination (the default destination)", () => {
  it("writes a turn's lines in one write, in order, when the turn ends", async () => {
    const { calls, sink } = writes();
    const logger = createLogger({ destination: new TurnBufferedDestination(sink) });
    logger.info("one");
    logRequest(logger, line);
    logger.warn("three");
    expect(calls).toEqual([]);
    await nextTurn();
    expect(calls).toHaveLength(1);
    const lines = (calls[0] ?? "")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.msg)).toEqual(["one", "request", "three"]);
    // The next turn's lines are a write of their own.
    logger.info("four");
    await nextTurn();
    expect(calls).toHaveLength(2);
    expect(JSON.parse(calls[1] ?? "")).toMatchObject({ msg: "four" });
    await nextTurn();
    expect(calls).toHaveLength(2);
  });

  it("writes at once when a turn's lines pass the limit, and flush() writes what waits", async () => {
    const { calls, sink } = writes();
    const destination = new TurnBufferedDestination(sink, 100);
    destination.write(`${"a".repeat(60)}\n`);
    expect(calls).toEqual([]);
    destination.write(`${"b".repeat(60)}\n`);
    expect(calls).toEqual([`${"a".repeat(60)}\n${"b".repeat(60)}\n`]);
    destination.write("c\n");
    const logger = pino({}, destination);
    await new Promise<void>((resolve, reject) =>
      logger.flush((error) => (error ? reject(error) : resolve())),
    );
    expect(calls).toEqual([`${"a".repeat(60)}\n${"b".repeat(60)}\n`, "c\n"]);
    await nextTurn();
    expect(calls).toHaveLength(2);
  });

  // tsx resolved from this package, for a child process that imports this module's source.
  const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const MODULE = new URL("./create-logger.ts", import.meta.url).href;

  /** Runs `body` in a fresh Node process after `const logger = createLogger()` (standard output). */
  function child(body: string) {
    const code = `import { createLogger } from ${JSON.stringify(MODULE)};\nconst logger = createLogger();\n${body}`;
    const result = spawnSync(
      process.execPath,
      ["--conditions=source", "--import", TSX, "--input-type=module", "--eval", code],
      { encoding: "utf8", timeout: 60_000 },
    );
    const lines = result.stdout.split("\n").filter(Boolean);
    return { status: result.status, msgs: lines.map((l) => JSON.parse(l).msg), stderr: result.stderr };
  }

  it("loses nothing when the process exits in the turn that logged", () => {
    expect(child('logger.info("a"); logger.error("b"); process.exit(3);')).toMatchObject({
      status: 3,
      msgs: ["a", "b"],
    });
  });

  it("loses nothing when an uncaught exception ends the process", () => {
    const result = child('logger.info("before the throw"); throw new Error("boom");');
    expect(result.status).toBe(1);
    expect(result.msgs).toEqual(["before the throw"]);
    expect(result.stderr).toContain("boom");
  });

  it("writes the lines of a process that ends on its own", () => {
    expect(child('logger.info("x"); setTimeout(() => logger.info("y"), 5);')).toMatchObject({
      status: 0,
      msgs: ["x", "y"],
    });
  });
});
