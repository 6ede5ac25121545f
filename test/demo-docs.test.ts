// Every command and code sample in README.md and docs/*.md is exercised here, so the documentation cannot
// drift from the code: YAML samples load through the real config loader, rule conditions compile, HTML and
// JavaScript samples parse and use only real element attributes, CLI commands exist (and the read-only
// ones run against a copy of the demo configuration, their output compared with the documented one),
// npm scripts exist, curl URLs name real routes, and every schema key is documented.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ErrorCode } from "@portico/protocol";
import { compileCondition, parseCondition, RuleSyntaxError } from "@portico/rules";
import { configSchema, parseConfigText } from "@portico/server";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./support/build-bundles.js";

interface Block {
  file: string;
  line: number;
  lang: string;
  code: string;
  /** The block right after this one, if nothing but blank lines and prose separates them. */
  next?: Block;
}

const DOC_FILES = [
  "README.md",
  ...readdirSync(path.join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

function blocksOf(file: string): Block[] {
  const lines = readFileSync(path.join(ROOT, file), "utf8").split("\n");
  const blocks: Block[] = [];
  let open: { lang: string; line: number; body: string[] } | undefined;
  lines.forEach((text, i) => {
    const fence = /^```(\S*)\s*$/.exec(text);
    if (!fence) {
      open?.body.push(text);
      return;
    }
    if (open) {
      blocks.push({ file, line: open.line, lang: open.lang, code: open.body.join("\n") });
      open = undefined;
    } else open = { lang: fence[1] ?? "", line: i + 1, body: [] };
  });
  if (open) throw new Error(`${file}:${open.line}: unclosed code block`);
  blocks.forEach((block, i) => {
    block.next = blocks[i + 1];
  });
  return blocks;
}

const BLOCKS = DOC_FILES.flatMap(blocksOf);
const where = (b: Block) => `${b.file}:${b.line}`;
const ofLang = (...langs: string[]) => BLOCKS.filter((b) => langs.includes(b.lang));

/** The CLI's commands, read from its dispatcher. */
const CLI_COMMANDS = [
  ...readFileSync(path.join(ROOT, "packages/server/src/cli.ts"), "utf8").matchAll(/case "([a-z-]+)":/g),
].map((m) => m[1]);
const NPM_SCRIPTS = Object.keys(
  (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
    .scripts,
);
const ELEMENT_ATTRIBUTES = (() => {
  const manifest = JSON.parse(
    readFileSync(path.join(ROOT, "packages/embed/custom-elements.json"), "utf8"),
  ) as {
    modules: Array<{ declarations?: Array<{ tagName?: string; attributes?: Array<{ name: string }> }> }>;
  };
  const element = manifest.modules
    .flatMap((m) => m.declarations ?? [])
    .find((d) => d.tagName === "portico-embed");
  return new Set([...(element?.attributes ?? []).map((a) => a.name), "id", "class", "style"]);
})();
/** Routes a curl sample may name: those the server's routers register (packages/server/README.md lists them). */
const ROUTES = [
  /^\/([a-z0-9._~-]+\/)?api\/v1\/tickets(\/anonymous)?$/,
  /^\/([a-z0-9._~-]+\/)?api\/v1\/sessions(\/login|\/current|\/join-ticket)?$/,
  /^\/([a-z0-9._~-]+\/)?api\/v1\/(hub|apps\/[\w.-]+(\/query)?)$/,
  /^\/admin\/api\/v1\/(visits(\/summary|\/export)?|sessions|audit|doctor|config(\/\w+)?|licenses\/(usage|audit))$/,
  /^\/(healthz|readyz|metrics)$/,
];

const ENV_VARS = new Set(["DEMO_PORT", "CHROME_PATH"]);
// `ini` (systemd units) and `nginx` blocks are checked by test/deployment-docs.test.ts.
const KNOWN_LANGS = [
  "sh",
  "yaml",
  "condition",
  "condition-error",
  "html",
  "js",
  "ts",
  "tsx",
  "json",
  "text",
  "ini",
  "nginx",
];

function syntaxErrors(code: string, fileName: string): string[] {
  const out = ts.transpileModule(code, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      jsx: ts.JsxEmit.Preserve,
    },
  });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

/** A shell block as commands: continuation lines joined, comments and blank lines dropped. */
function commandsOf(code: string): string[] {
  return code
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** The simple commands of a line (`a && b | c`), environment assignments and redirections removed. */
function segmentsOf(command: string): string[][] {
  return command
    .split(/&&|\|/)
    .map((part) =>
      (part.match(/'[^']*'|"[^"]*"|\S+/g) ?? [])
        .map((w) => w.replace(/^'(.*)'$/, "$1").replace(/^"(.*)"$/, "$1"))
        .filter((w) => !/^[A-Z_]+=\S*$/.test(w)),
    )
    .map((words) => {
      const redirect = words.indexOf(">");
      return redirect >= 0 ? words.slice(0, redirect) : words;
    })
    .filter((words) => words.length > 0);
}

let work: string;
/** What `npx portico` runs in this repository: the server package's bin (the sources, through tsx). */
const CLI = ["packages/server/bin/portico.js"];
/** CLI commands run for real (they read the configuration and a throwaway storage only). */
const RUNNABLE = new Set(["check", "audit", "doctor", "visits", "hash-password"]);

beforeAll(() => {
  // A copy of the demo configuration with its own synthetic data and SQLite file.
  work = mkdtempSync(path.join(tmpdir(), "portico-docs-"));
  copyFileSync(path.join(ROOT, "demo/portico.yaml"), path.join(work, "portico.yaml"));
  const gen = spawnSync(
    "node",
    ["packages/engine/scripts/generate-sample-data.mjs", path.join(work, "data")],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  );
  if (gen.status !== 0) throw new Error(gen.stderr);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function runCli(words: string[], stdin?: string) {
  const args = words.map((w) => (w === "demo/portico.yaml" ? path.join(work, "portico.yaml") : w));
  return spawnSync("node", [...CLI, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
    ...(stdin !== undefined ? { input: stdin } : {}),
  });
}

describe("documentation samples", { timeout: 120_000 }, () => {
  it("uses only languages this test checks", () => {
    expect(BLOCKS.length).toBeGreaterThan(20);
    for (const b of BLOCKS) expect(KNOWN_LANGS, where(b)).toContain(b.lang);
  });

  it("YAML samples load through the configuration loader", () => {
    for (const b of ofLang("yaml")) {
      expect(() => parseConfigText(b.code, path.join(work, "portico.yaml")), where(b)).not.toThrow();
    }
  });

  it("rule conditions compile; error samples fail with the documented message", () => {
    for (const b of ofLang("condition"))
      for (const condition of b.code
        .split(/\n\s*\n/)
        .map((c) => c.trim())
        .filter(Boolean))
        expect(() => compileCondition(condition), `${where(b)}: ${condition}`).not.toThrow();
    const errors = ofLang("condition-error");
    expect(errors.length).toBeGreaterThan(0);
    for (const b of errors) {
      expect(() => parseCondition(b.code.trim()), where(b)).toThrow(RuleSyntaxError);
      if (b.next?.lang !== "text") continue;
      const yaml = `securityRules:\n  - name: Sample\n    resourceFilter: App_*\n    actions: [read]\n    condition: ${JSON.stringify(b.code.trim())}\n`;
      let message = "";
      try {
        parseConfigText(yaml, path.join(work, "portico.yaml"));
      } catch (error) {
        message = (error as Error).message;
      }
      for (const line of b.next.code.split("\n").filter((l) => l.trim()))
        expect(message, where(b.next)).toContain(line.trimEnd());
    }
  });

  it("JSON, JavaScript and TypeScript samples parse", () => {
    for (const b of ofLang("json")) expect(() => JSON.parse(b.code), where(b)).not.toThrow();
    for (const b of ofLang("js", "ts", "tsx"))
      expect(syntaxErrors(b.code, `sample.${b.lang === "js" ? "ts" : b.lang}`), where(b)).toEqual([]);
  });

  it("HTML samples: module scripts parse, <portico-embed> uses only its real attributes", () => {
    const html = ofLang("html");
    expect(html.length).toBeGreaterThan(0);
    for (const b of html) {
      for (const [, script] of b.code.matchAll(/<script type="module">([\s\S]*?)<\/script>/g))
        expect(syntaxErrors(script ?? "", "inline.ts"), where(b)).toEqual([]);
      for (const [, attrs] of b.code.matchAll(/<portico-embed\b([^>]*)>/g))
        for (const [, name] of (attrs ?? "").matchAll(/([a-z-]+)(?==|\s|$)/g))
          expect(ELEMENT_ATTRIBUTES, `${where(b)}: attribute ${name}`).toContain(name);
    }
  });

  it("shell commands exist; read-only CLI commands run and print what the docs show", () => {
    let ran = 0;
    for (const b of ofLang("sh")) {
      const commands = commandsOf(b.code);
      for (const command of commands) {
        const segments = segmentsOf(command);
        for (const [i, words] of segments.entries()) {
          const [program, ...args] = words;
          const label = `${where(b)}: ${command}`;
          if (program === "npm") {
            const [sub, name] = args;
            if (sub === "run") expect(NPM_SCRIPTS, label).toContain(name);
            else expect(["install", "start", "test"], label).toContain(sub);
          } else if (program === "echo") {
            expect(segments[i + 1], `${label}: echo only feeds a pipe`).toBeDefined();
          } else if (program === "curl") {
            const url = new URL(args.find((a) => /^https?:\/\//.test(a)) ?? "");
            expect(url.origin, label).toBe("http://127.0.0.1:4000");
            expect(
              ROUTES.some((r) => r.test(url.pathname)),
              `${label}: ${url.pathname} is no route`,
            ).toBe(true);
          } else if (program === "npx") {
            const [bin, sub, ...rest] = args;
            expect(bin, `${label}: npx runs only portico`).toBe("portico");
            expect(CLI_COMMANDS, label).toContain(sub);
            const config = rest[rest.indexOf("--config") + 1];
            if (!sub || !RUNNABLE.has(sub) || (rest.includes("--config") && config !== "demo/portico.yaml"))
              continue;
            const piped = i > 0 && segments[i - 1]?.[0] === "echo" ? `${segments[i - 1]?.[1]}\n` : undefined;
            const result = runCli([sub, ...rest], piped);
            ran++;
            // audit and doctor answer 2 for "denied"; anything else is a failure to run.
            expect([0, 2], `${label}\n${result.stdout}\n${result.stderr}`).toContain(result.status);
            expect(result.stderr, label).not.toMatch(/unknown command|Error:|at .*\.ts:\d+/);
            if (commands.length === 1 && b.next?.lang === "text" && b.next.line > b.line)
              for (const line of b.next.code.split("\n").filter((l) => l.trim()))
                expect(result.stdout, where(b.next)).toContain(line.trimEnd());
          } else if (program === "node") {
            expect(() => readFileSync(path.join(ROOT, args[0] ?? "")), label).not.toThrow();
          } else {
            throw new Error(`${label}: this test does not know how to check "${program}"`);
          }
        }
      }
    }
    expect(ran).toBeGreaterThanOrEqual(5);
  });

  it("configuration.md documents every key of the schema", () => {
    const doc = readFileSync(path.join(ROOT, "docs/configuration.md"), "utf8");
    const keys = schemaKeys();
    expect(keys.length).toBeGreaterThan(80);
    for (const key of keys) expect(doc, key).toContain(`\`${key}\``);
  });

  it("relative links point at files that exist", () => {
    for (const file of DOC_FILES) {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        if (!target || /^[a-z]+:/.test(target)) continue;
        expect(existsSync(path.join(ROOT, path.dirname(file), target)), `${file}: ${target}`).toBe(true);
      }
    }
  });

  it("every error code the docs name exists", () => {
    const codes = new Set<string>(Object.values(ErrorCode));
    for (const file of DOC_FILES) {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      for (const [, token] of text.matchAll(/`([A-Z]+_[A-Z_]+)`/g)) {
        // Environment variables are the other upper-case names the docs mention.
        if (token && (ENV_VARS.has(token) || token.startsWith("PORTICO_"))) continue;
        expect(codes, `${file}: ${token}`).toContain(token);
      }
    }
  });
});

type ZodLike = { _zod: { def: Record<string, unknown> & { type: string } } };

/** Every key path of the configuration schema: `server.port`, `apps[].sheets[].objects[].position.col`, ... */
function schemaKeys(): string[] {
  const out = new Set<string>();
  const walk = (schema: ZodLike, at: string) => {
    const def = schema._zod.def;
    switch (def.type) {
      case "object":
        for (const [key, value] of Object.entries(def.shape as Record<string, ZodLike>)) {
          const p = at ? `${at}.${key}` : key;
          out.add(p);
          walk(value, p);
        }
        return;
      case "optional":
      case "default":
      case "prefault":
      case "nullable":
      case "readonly":
      case "catch":
        return walk(def.innerType as ZodLike, at);
      case "array":
        return walk(def.element as ZodLike, `${at}[]`);
      case "union":
        for (const option of def.options as ZodLike[]) walk(option, at);
        return;
      case "pipe":
        return walk(def.in as ZodLike, at);
      default:
        return;
    }
  };
  walk(configSchema as unknown as ZodLike, "");
  return [...out];
}
