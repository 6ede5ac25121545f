import { DIMENSION_SORTS, OBJECT_TYPES } from "@portico/protocol";
import { Cron } from "croner";
import { z } from "zod";
import { TrustedProxies } from "../http/client-ip.js";

/** Path segments a prefix may never take: they are the server's own top-level routes. */
export const RESERVED_PREFIXES = [
  "admin",
  "assets",
  "sdk",
  "healthz",
  "readyz",
  "metrics",
  ".well-known",
  "api",
];

const PREFIX_RE = /^[a-z0-9\-._~]*$/;
const SCRYPT_RE = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=_-]+\$[A-Za-z0-9+/=_-]+$/;
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const id = z.string().regex(ID_RE, "must start with a letter or digit and use only A-Za-z0-9_.-");
const scryptHash = z
  .string()
  .regex(SCRYPT_RE, "must be a hash from `portico hash-password` (scrypt$N$r$p$salt$hash)");

/** An exact origin: scheme, host and optional port; no path, no wildcard, no trailing slash. */
const origin = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      // URL() accepts `*` in a host name; an allow list entry must name one real host.
      const hostOk = /^[a-z0-9.-]+$/.test(url.hostname) || /^\[[0-9a-f:.]+\]$/.test(url.hostname);
      return (url.protocol === "http:" || url.protocol === "https:") && url.origin === value && hostOk;
    } catch {
      return false;
    }
  },
  {
    message:
      "must be an exact origin such as https://portal.example.com (scheme://host[:port], no path, no wildcard)",
  },
);

/** A trusted proxy: an IP address or a CIDR block. */
const trustedProxy = z.string().refine(
  (value) => {
    try {
      new TrustedProxies([value]);
      return true;
    } catch {
      return false;
    }
  },
  { message: "must be an IP address or a CIDR block such as 10.0.0.0/8" },
);

const attributeValue = z.union([z.string(), z.array(z.string())]);

/**
 * One anonymous session budget: a whole number of sessions, or `off` for none. 0 is refused rather than
 * read as either: "no anonymous sessions" is `anonymousAccess: none`, and "no limit" is said with `off`.
 */
const anonymousLimit = z.custom<number | "off">(
  (value) =>
    value === "off" || (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 1_000_000),
  {
    message:
      "must be a whole number from 1 to 1000000, or off for no limit (0 is not accepted: to admit no anonymous visitors set anonymousAccess: none)",
  },
);

/**
 * What one address or network may start, per proxy (docs/security.md, "Hostile visitors"): far above what a
 * visitor with a few tabs and reloads, or an office behind one network, starts in an hour; a script that
 * starts sessions to spend the licence pools meets them within seconds.
 */
export const anonymousLimitsSchema = z.strictObject({
  newSessionsPerIpPerHour: anonymousLimit.default(60),
  newSessionsPerNetworkPerHour: anonymousLimit.default(300),
  concurrentSessionsPerIp: anonymousLimit.default(30),
  /** The network of an IPv4 address for `newSessionsPerNetworkPerHour`. */
  ipv4NetworkPrefix: z.number().int().min(8).max(32).default(24),
  /** The network of an IPv6 address: one subscriber usually holds a whole /64 (or /56, /48). */
  ipv6NetworkPrefix: z.number().int().min(16).max(128).default(64),
});

export type AnonymousLimitsConfig = z.output<typeof anonymousLimitsSchema>;

export const virtualProxySchema = z.strictObject({
  prefix: z
    .string()
    .regex(PREFIX_RE, "must be lowercase a-z0-9-._~")
    .refine((p) => !RESERVED_PREFIXES.includes(p), {
      message: `must not be one of ${RESERVED_PREFIXES.join(", ")}`,
    }),
  description: z.string().optional(),
  anonymousAccess: z.enum(["none", "allow", "always"]).default("none"),
  sessionInactivityMinutes: z.number().int().min(1).max(10_080).default(30),
  /** Absolute lifetime of a session, whatever its activity. */
  sessionMaxLifetimeMinutes: z.number().int().min(1).max(43_200).default(480),
  hostAllowList: z.array(origin).default([]),
  /**
   * Seconds an anonymous session whose page said the visitor left stays resumable (a reload, the site's
   * next page) before it ends with reason `left`.
   */
  leaveGraceSeconds: z.number().int().min(0).max(15).default(10),
  /** Budgets of new and concurrent anonymous sessions per client address and network. */
  anonymousLimits: anonymousLimitsSchema.prefault({}),
});

export const localUserSchema = z.strictObject({
  userId: z.string().min(1),
  name: z.string().optional(),
  email: z.string().optional(),
  passwordHash: scryptHash.optional(),
  groups: z.array(z.string()).default([]),
  roles: z.array(z.string()).default([]),
  attributes: z.record(z.string(), attributeValue).default({}),
});

export const userDirectorySchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .refine((n) => n.toUpperCase() !== "NONE", {
      message: "NONE is the anonymous directory and is reserved",
    }),
  type: z.literal("local").default("local"),
  users: z.array(localUserSchema).default([]),
});

/**
 * A public JWK: EC P-256 (ES256), OKP Ed25519 (EdDSA) or RSA (RS256). Strict, so a private key (`d`)
 * pasted by mistake is refused instead of sitting in the configuration.
 */
const visitorKeySchema = z.strictObject({
  kty: z.enum(["EC", "OKP", "RSA"]),
  crv: z.string().optional(),
  x: z.string().optional(),
  y: z.string().optional(),
  n: z.string().optional(),
  e: z.string().optional(),
  kid: z.string().optional(),
  alg: z.string().optional(),
  use: z.string().optional(),
});

export const ticketClientSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, "must use only A-Za-z0-9_.- (it is sent as name:secret)"),
  keyHash: scryptHash,
  userDirectories: z.array(z.string().min(1)).min(1),
  /** Public key (JWK) that verifies signed visitor attributes sent with anonymous tickets. */
  visitorKey: visitorKeySchema.optional(),
});

/**
 * A resource's owner as `DIRECTORY\\userId` (rules: `resource.owner = user`, `resource.owner.group`).
 * It need not be a user of a configured directory: an external user owns content too.
 */
const owner = z.string().regex(/^[^\\\s]+\\[^\\]+$/, "must be DIRECTORY\\userId, e.g. CORP\\hanna");

export const streamSchema = z.strictObject({
  id,
  name: z.string().min(1),
  description: z.string().optional(),
  owner: owner.optional(),
  customProperties: z.record(z.string(), attributeValue).optional(),
});

const measureSchema = z.union([
  z.string().min(1),
  z.strictObject({
    expression: z.string().min(1),
    label: z.string().optional(),
    format: z.string().optional(),
  }),
]);

const dimensionSortSchema = z.union([
  z.enum(DIMENSION_SORTS),
  z.strictObject({
    by: z.enum(DIMENSION_SORTS),
    descending: z.boolean().optional(),
    /** With `by: measure`: the expression or label of one of the object's measures (the first by default). */
    measure: z.string().min(1).optional(),
  }),
]);

/** A field name, or a field with its sort (`load`, `text`, `number`, `measure`). */
const dimensionSchema = z.union([
  z.string(),
  z.strictObject({ field: z.string().min(1), sort: dimensionSortSchema.optional() }),
]);

export const sheetObjectSchema = z.strictObject({
  id,
  type: z.enum(OBJECT_TYPES),
  title: z.string().optional(),
  dimensions: z.array(dimensionSchema).max(2).optional(),
  measures: z.array(measureSchema).optional(),
  fields: z.array(z.string()).optional(),
  text: z.string().optional(),
  topN: z.number().int().min(1).optional(),
  position: z.strictObject({
    col: z.number().int().min(0).max(23),
    row: z.number().int().min(0),
    width: z.number().int().min(1).max(24),
    height: z.number().int().min(1),
  }),
});

export const sheetSchema = z.strictObject({
  id,
  title: z.string().min(1),
  description: z.string().optional(),
  objects: z.array(sheetObjectSchema).default([]),
});

/**
 * A database an app's tables may be read from. Secrets never sit in the file: a PostgreSQL password is
 * read from the environment variable `passwordEnv` when connecting, and a URL with a password in it is
 * refused.
 */
export const dataConnectionSchema = z.discriminatedUnion("type", [
  z.strictObject({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "must be letters, digits, _ . -"),
    type: z.literal("postgres"),
    description: z.string().optional(),
    url: z
      .string()
      .refine((u) => /^postgres(ql)?:\/\//.test(u), "must be a postgres:// URL")
      .refine((u) => !hasUrlPassword(u), {
        message: "must not contain a password: name an environment variable in passwordEnv instead",
      }),
    passwordEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be the name of an environment variable")
      .optional(),
  }),
  z.strictObject({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "must be letters, digits, _ . -"),
    type: z.literal("sqlite"),
    description: z.string().optional(),
    /** Relative to the data directory (top-level `dataDir`), and inside it; opened read-only. */
    file: z.string().min(1),
  }),
]);

function hasUrlPassword(url: string): boolean {
  try {
    return new URL(url).password !== "" || /[?&]password=/i.test(url);
  } catch {
    return false;
  }
}

/** `15m`, `1h`, `30s`, `1d`: how often an app's data is read again. */
const reloadEvery = z
  .string()
  .regex(/^\d+(s|m|h|d)$/, 'must be a number and a unit, e.g. "15m", "1h" or "1d"')
  .refine((every) => everyMs(every) >= 60_000, "must be at least 1m");

export function everyMs(every: string): number {
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[every.slice(-1) as "s" | "m" | "h" | "d"];
  return Number(every.slice(0, -1)) * unit;
}

export const tableSourceSchema = z.union([
  z.string().min(1),
  z.strictObject({
    /** A name in `dataConnections`. */
    connection: z.string().min(1),
    /** Read in a read-only transaction (PostgreSQL) or through a read-only handle (SQLite). */
    query: z.string().min(1),
  }),
]);

export const appSchema = z.strictObject({
  id,
  name: z.string().min(1),
  description: z.string().optional(),
  stream: id,
  owner: owner.optional(),
  /** The hub's custom properties: `resource.@name` in rules. */
  customProperties: z.record(z.string(), attributeValue).optional(),
  published: z.boolean().default(true),
  tables: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        /** A file relative to the data directory (and inside it), or `{connection, query}`. */
        source: tableSourceSchema,
        types: z.record(z.string(), z.enum(["number", "date", "text"])).optional(),
        /** Dual fields: a text field -> the number (or date) field of this table that orders and selects it. */
        sortBy: z.record(z.string().min(1), z.string().min(1)).optional(),
      }),
    )
    .default([]),
  sheets: z.array(sheetSchema).default([]),
  /** Read the data again on a schedule: `{every: "1h"}` or `{cron: "0 * * * *"}` (server time zone). */
  reload: z
    .union([z.strictObject({ every: reloadEvery }), z.strictObject({ cron: z.string().min(1) })])
    .optional(),
});

export const securityRuleSchema = z.strictObject({
  name: z.string().min(1),
  resourceFilter: z.string().min(1),
  actions: z.array(z.string()).min(1),
  condition: z.string().default(""),
  context: z.enum(["hub", "qmc", "both"]).default("both"),
  disabled: z.boolean().default(false),
  comment: z.string().optional(),
});

export const licensesSchema = z
  .strictObject({
    analyzerCapacity: z.strictObject({ minutesPerMonth: z.number().int().min(0) }).optional(),
    loginAccessPasses: z.number().int().min(0).optional(),
    /** Concurrent anonymous sessions: a session holds a seat while it lives and frees it when it ends. */
    anonymousCapacity: z.strictObject({ maxConcurrentSessions: z.number().int().min(0) }).optional(),
    allocations: z
      .array(
        z.strictObject({
          userDirectory: z
            .string()
            .min(1)
            .refine((d) => d.toUpperCase() !== "NONE", {
              message:
                "professional and analyzer licences are allocated to named users, never to anonymous users " +
                "(directory NONE); give anonymous visitors access through a licence rule " +
                "(type analyzerCapacity or loginAccessPass, condition user.IsAnonymous())",
            }),
          userId: z.string().min(1),
          type: z.enum(["professional", "analyzer"]),
        }),
      )
      .default([]),
    rules: z
      .array(
        z.strictObject({
          name: z.string().min(1),
          /** Free text for the administrators (the hub's licence rule *Description*). */
          description: z.string().max(1024).optional(),
          type: z.enum(["analyzerCapacity", "loginAccessPass", "anonymousCapacity"]),
          condition: z.string().default(""),
        }),
      )
      .default([]),
  })
  .superRefine((licenses, ctx) => {
    licenses.rules.forEach((rule, i) => {
      if (rule.type === "analyzerCapacity" && !licenses.analyzerCapacity)
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "type"],
          message: "an analyzerCapacity rule needs the pool: set licenses.analyzerCapacity.minutesPerMonth",
        });
      if (rule.type === "loginAccessPass" && licenses.loginAccessPasses === undefined)
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "type"],
          message: "a loginAccessPass rule needs the pool: set licenses.loginAccessPasses",
        });
      if (rule.type === "anonymousCapacity" && !licenses.anonymousCapacity)
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "type"],
          message:
            "an anonymousCapacity rule needs the pool: set licenses.anonymousCapacity.maxConcurrentSessions",
        });
    });
    duplicates(
      licenses.rules.map((r) => r.name),
      (i) =>
        ctx.addIssue({ code: "custom", path: ["rules", i, "name"], message: "duplicate licence rule name" }),
    );
    duplicates(
      licenses.allocations.map((a) => `${a.userDirectory.toUpperCase()}\\${a.userId.toLowerCase()}`),
      (i) =>
        ctx.addIssue({
          code: "custom",
          path: ["allocations", i],
          message: "this user already has a licence allocation",
        }),
    );
  });

const storageUrl = z
  .string()
  .regex(/^(sqlite:|postgres:\/\/|postgresql:\/\/)/, "must be sqlite:<path> or postgres://...");

export const storageSettingsSchema = z.strictObject({
  url: storageUrl,
  /** PostgreSQL: how long a request waits for a connection before it answers 503 STORAGE_UNAVAILABLE. */
  connectTimeoutMs: z.number().int().min(100).max(60_000).default(2000),
  /** PostgreSQL: a statement running longer is cancelled (`statement_timeout`); the request answers 503. */
  queryTimeoutMs: z.number().int().min(100).max(600_000).default(5000),
  /**
   * SQLite: `normal` keeps every acknowledged write through a crash of the process, `full` through a
   * power loss too (every commit waits for the disk).
   */
  synchronous: z.enum(["normal", "full"]).default("normal"),
});

export type StorageSettings = Omit<z.output<typeof storageSettingsSchema>, "url">;

/** The settings of a `storage` value as written: a bare URL takes every default. */
export function storageSettings(storage: string | z.output<typeof storageSettingsSchema>): {
  url: string;
  settings: StorageSettings;
} {
  const { url, ...settings } =
    typeof storage === "string" ? storageSettingsSchema.parse({ url: storage }) : storage;
  return { url, settings };
}

export const configSchema = z
  .strictObject({
    server: z
      .strictObject({
        port: z.number().int().min(0).max(65_535).default(4000),
        /** Interface to listen on; 0.0.0.0 to accept connections from other machines. */
        host: z.string().min(1).default("127.0.0.1"),
        publicUrl: z.url().optional(),
        /** Addresses or CIDR blocks whose forwarding header is believed. */
        trustProxy: z.array(trustedProxy).default([]),
        /** The header trusted proxies append the client address to. */
        forwardedHeader: z.enum(["x-forwarded-for", "forwarded"]).default("x-forwarded-for"),
        /** Keys and the default SQLite file live here; relative to the config file. */
        dataDir: z.string().default("./data"),
        /**
         * Requests this node works on at once; past it, 503 BUSY with Retry-After before any work (the
         * probes `/healthz` and `/readyz` are never turned away). 0: no limit.
         */
        maxRequestsInProgress: z.number().int().min(0).max(1_000_000).default(64),
        /**
         * A second port, on `host`, where a thread of its own answers `/healthz` and `/readyz` in
         * milliseconds however busy the main event loop is: point an orchestrator's probes here. Read at
         * start; 0 takes any free port. Unset: no probe port.
         */
        probePort: z.number().int().min(0).max(65_535).optional(),
        /** Engine work: its worker threads, and what one session or all of them may ask at once. */
        queries: z
          .strictObject({
            /** Worker threads (default: one per core but one, at least 2, at most 8). Read at start. */
            workers: z.number().int().min(1).max(64).optional(),
            /** Queries of one session queued or running at once; its others wait their turn. */
            perSession: z.number().int().min(1).max(64).default(4),
            /** Queries waiting for a worker, all sessions together; beyond it, 503 BUSY. */
            queueLimit: z.number().int().min(1).max(100_000).default(64),
            /** Time one query may run before it is stopped with 503 QUERY_TIMEOUT. */
            timeoutMs: z.number().int().min(10).max(600_000).default(2000),
          })
          .prefault({}),
        /** `admin`: `/metrics` needs an admin API key; `public`: anyone who reaches it may scrape it. */
        metrics: z.enum(["admin", "public"]).default("admin"),
        /** Failed Ticket API and admin credential checks allowed per client (IPv4 address, IPv6 /64). */
        credentialFailureLimit: z
          .strictObject({
            failures: z.number().int().min(1).default(20),
            windowMinutes: z.number().int().min(1).default(10),
          })
          .prefault({}),
      })
      .prefault({}),
    /**
     * Table sources must lie inside this directory (relative to the config file; default its folder).
     * Not an admin-editable section: the admin API may change `apps`, never where they may read from.
     */
    dataDir: z.string().min(1).default("."),
    /** Databases that tables may be read from (`apps[].tables[].source: {connection, query}`). */
    dataConnections: z.array(dataConnectionSchema).default([]),
    /** A URL, or `{url, ...}` with the settings below. */
    storage: z.union([storageUrl, storageSettingsSchema]).default("sqlite:./data/portico.db"),
    admin: z
      .strictObject({
        apiKeys: z.array(z.strictObject({ name: z.string().min(1), keyHash: scryptHash })).default([]),
      })
      .prefault({}),
    virtualProxies: z
      .array(virtualProxySchema)
      .min(1)
      .default([
        {
          prefix: "",
          anonymousAccess: "none",
          sessionInactivityMinutes: 30,
          sessionMaxLifetimeMinutes: 480,
          hostAllowList: [],
          leaveGraceSeconds: 10,
          anonymousLimits: anonymousLimitsSchema.parse({}),
        },
      ]),
    userDirectories: z.array(userDirectorySchema).default([]),
    ticketClients: z.array(ticketClientSchema).default([]),
    streams: z.array(streamSchema).default([]),
    apps: z.array(appSchema).default([]),
    /** Absent: the default rules of a new configuration. */
    securityRules: z.array(securityRuleSchema).optional(),
    licenses: licensesSchema.optional(),
    visits: z
      .strictObject({
        ip: z.enum(["full", "truncate", "hash", "none"]).default("full"),
        retentionDays: z.number().int().min(1).default(90),
        /** Adds the built-in Visitor analytics app (Administration stream, RootAdmin only). */
        analyticsApp: z.boolean().default(false),
      })
      .optional(),
  })
  .superRefine((config, ctx) => {
    publicUrlIssue(config, ctx);
    const { port, probePort } = config.server;
    if (probePort !== undefined && probePort !== 0 && probePort === port)
      ctx.addIssue({
        code: "custom",
        path: ["server", "probePort"],
        message: "must differ from server.port",
      });
    duplicates(
      config.virtualProxies.map((p) => p.prefix),
      (i) =>
        ctx.addIssue({ code: "custom", path: ["virtualProxies", i, "prefix"], message: "duplicate prefix" }),
    );
    duplicates(
      config.userDirectories.map((d) => d.name.toUpperCase()),
      (i) =>
        ctx.addIssue({
          code: "custom",
          path: ["userDirectories", i, "name"],
          message: "duplicate user directory",
        }),
    );
    for (const [d, dir] of config.userDirectories.entries()) {
      duplicates(
        dir.users.map((u) => u.userId.toLowerCase()),
        (i) =>
          ctx.addIssue({
            code: "custom",
            path: ["userDirectories", d, "users", i, "userId"],
            message: "duplicate user id",
          }),
      );
    }
    duplicates(
      config.ticketClients.map((c) => c.name),
      (i) =>
        ctx.addIssue({
          code: "custom",
          path: ["ticketClients", i, "name"],
          message: "duplicate ticket client",
        }),
    );
    duplicates(
      config.admin.apiKeys.map((k) => k.name),
      (i) =>
        ctx.addIssue({
          code: "custom",
          path: ["admin", "apiKeys", i, "name"],
          message: "duplicate API key name",
        }),
    );
    config.ticketClients.forEach((client, c) => {
      client.userDirectories.forEach((dir, i) => {
        if (dir.toUpperCase() === "NONE")
          ctx.addIssue({
            code: "custom",
            path: ["ticketClients", c, "userDirectories", i],
            message: "NONE is the anonymous directory; use the anonymous ticket endpoint",
          });
      });
    });
    duplicates(
      config.streams.map((s) => s.id),
      (i) => ctx.addIssue({ code: "custom", path: ["streams", i, "id"], message: "duplicate stream id" }),
    );
    duplicates(
      config.apps.map((a) => a.id),
      (i) => ctx.addIssue({ code: "custom", path: ["apps", i, "id"], message: "duplicate app id" }),
    );
    duplicates(
      config.dataConnections.map((c) => c.name),
      (i) =>
        ctx.addIssue({
          code: "custom",
          path: ["dataConnections", i, "name"],
          message: "duplicate connection",
        }),
    );
    const connections = new Set(config.dataConnections.map((c) => c.name));
    const streamIds = new Set(config.streams.map((s) => s.id));
    config.apps.forEach((app, a) => {
      app.tables.forEach((table, t) => {
        if (typeof table.source !== "string" && !connections.has(table.source.connection))
          ctx.addIssue({
            code: "custom",
            path: ["apps", a, "tables", t, "source", "connection"],
            message: `unknown data connection "${table.source.connection}" (dataConnections: ${[...connections].join(", ") || "none"})`,
          });
      });
      if (app.reload && "cron" in app.reload) {
        const problem = cronProblem(app.reload.cron);
        if (problem) ctx.addIssue({ code: "custom", path: ["apps", a, "reload", "cron"], message: problem });
      }
      if (!streamIds.has(app.stream))
        ctx.addIssue({
          code: "custom",
          path: ["apps", a, "stream"],
          message: `unknown stream "${app.stream}"`,
        });
      duplicates(
        app.sheets.map((s) => s.id),
        (i) =>
          ctx.addIssue({
            code: "custom",
            path: ["apps", a, "sheets", i, "id"],
            message: "duplicate sheet id",
          }),
      );
      const objectIds = app.sheets.flatMap((s, si) =>
        s.objects.map((o, oi) => ({ id: o.id, path: ["apps", a, "sheets", si, "objects", oi, "id"] })),
      );
      duplicates(
        objectIds.map((o) => o.id),
        (i) =>
          ctx.addIssue({
            code: "custom",
            path: objectIds[i]?.path ?? [],
            message: "duplicate object id in the app",
          }),
      );
    });
  });

/** Why a cron expression is refused (croner's own parser decides), or undefined when it is fine. */
function cronProblem(expression: string): string | undefined {
  try {
    new Cron(expression, { paused: true }).stop();
    return undefined;
  } catch (error) {
    return `not a cron expression: ${(error as Error).message}`;
  }
}

/**
 * A proxy that admits anonymous visitors or lists host pages takes requests from other origins, and the
 * server's own origin decides which of them count as its own pages. Taken from the Host header, a
 * DNS-rebinding page (its own name pointed at this server) would be its own origin and get tickets and
 * sessions; so such a configuration must say where it is served.
 */
function publicUrlIssue(
  config: {
    server: { publicUrl?: string | undefined };
    virtualProxies: Array<z.output<typeof virtualProxySchema>>;
  },
  ctx: z.RefinementCtx,
): void {
  if (config.server.publicUrl !== undefined) return;
  const needs = config.virtualProxies.flatMap((proxy, i) => {
    const why = [
      ...(proxy.anonymousAccess === "none" ? [] : [`anonymousAccess: ${proxy.anonymousAccess}`]),
      ...(proxy.hostAllowList.length > 0 ? ["a hostAllowList"] : []),
    ];
    return why.length > 0 ? [`virtualProxies[${i}] (prefix "${proxy.prefix}") has ${why.join(" and ")}`] : [];
  });
  if (needs.length > 0)
    ctx.addIssue({
      code: "custom",
      path: ["server", "publicUrl"],
      message:
        `required when a proxy admits anonymous visitors or has a host allow list: ${needs.join("; ")}. ` +
        "Set it to the URL browsers use (https://portico.example.com); the server never takes its own " +
        "origin from the Host header",
    });
}

function duplicates(values: string[], report: (index: number) => void): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) report(index);
    seen.add(value);
  });
}

/** A validated configuration, defaults applied. */
export type PorticoConfig = z.output<typeof configSchema>;
/** What a config file may contain (defaults optional). */
export type PorticoConfigInput = z.input<typeof configSchema>;
export type VirtualProxyConfig = PorticoConfig["virtualProxies"][number];
export type LocalUserConfig = PorticoConfig["userDirectories"][number]["users"][number];
export type TicketClientConfig = PorticoConfig["ticketClients"][number];
export type StreamConfig = PorticoConfig["streams"][number];
export type AppConfig = PorticoConfig["apps"][number];
export type SecurityRuleConfig = z.output<typeof securityRuleSchema>;
export type DataConnectionConfig = PorticoConfig["dataConnections"][number];
export type TableSourceConfig = z.output<typeof tableSourceSchema>;
