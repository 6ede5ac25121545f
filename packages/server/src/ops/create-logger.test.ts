import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { logRequest } from "../http/request-log.js";
import { createLogger } from "./create-logger.js";

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
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

  it("is written by any other pino logger as it is", () => {
    const { lines, destination } = capture();
    logRequest(pino({ base: { service: "other" } }, destination), line);
    expect(lines).toEqual([expect.objectContaining({ service: "other", msg: "request", ...line })]);
  });
});
