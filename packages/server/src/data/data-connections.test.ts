// Apps that load from databases through data connections: a real SQLite file, a real PostgreSQL
// cluster (a table and a view, a password from an environment variable), reloads on a schedule and
// under load, a failing reload keeping the old data, and the admin API's view of it all.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigStore } from "../config/config-store.js";
import { createLogger } from "../ops/create-logger.js";
import { Metrics } from "../ops/metrics.js";
import { openStorage } from "../storage/open-storage.js";
import { startPostgres, type TestPostgres } from "../testing/postgres.js";
import { until } from "../testing/until.js";
import { AppDataService } from "./app-data-service.js";
import { dataAdminRoutes } from "./data-admin-routes.js";

const PASSWORD = "s3cret-Pa55word-never-shown";
let dir: string;
let postgres: TestPostgres;
const logs: string[] = [];
const logger = createLogger({
  destination: new Writable({
    write(chunk, _e, done) {
      logs.push(chunk.toString());
      done();
    },
  }),
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-connections-"));
  const db = new Database(path.join(dir, "city.db"));
  db.exec(`
    create table budget (department text, amount integer, rate real, day date, code text);
    insert into budget values ('Parks', 100, 0.5, '2024-01-05', '007'), ('Library', 250, 1.5, '2024-02-01', '012');
    create view big as select department, amount from budget where amount > 200;
    create table events (n integer, grp text);
    with recursive c(n) as (select 1 union all select n + 1 from c where n < 1000000)
      insert into events select n, 'g' || (n % 10) from c;
  `);
  db.close();
  postgres = await startPostgres();
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query(`
    create role reader login password '${PASSWORD}';
    create table spend (department text, amount numeric(10,2), day date, visits int8);
    insert into spend values ('Parks', 10.5, '2024-03-01', 3), ('Roads', 99.25, '2024-03-02', 12);
    create view spend_total as select sum(amount) as total from spend;
    grant select on spend, spend_total to reader;
  `);
  await admin.end();
  process.env.CITY_DB_PASSWORD = PASSWORD;
}, 120_000);
afterAll(async () => {
  delete process.env.CITY_DB_PASSWORD;
  await postgres?.stop();
  await rm(dir, { recursive: true, force: true });
});

function config(postgresUrl: string, extra = "") {
  const readerUrl = postgresUrl.replace("postgres@", "reader@");
  return `
dataConnections:
  - name: local
    type: sqlite
    file: ./city.db
  - name: warehouse
    type: postgres
    url: ${readerUrl}
    passwordEnv: CITY_DB_PASSWORD
streams:
  - id: s
    name: S
apps:
  - id: city
    name: City
    stream: s
    tables:
      - name: budget
        source: { connection: local, query: "select * from budget" }
      - name: big
        source: { connection: local, query: "select department as BigDepartment, amount as BigAmount from big" }
  - id: spend
    name: Spend
    stream: s
    tables:
      - name: spend
        source: { connection: warehouse, query: "select * from spend" }
      - name: total
        source: { connection: warehouse, query: "select total from spend_total" }
${extra}`;
}

async function serviceFor(yaml: string) {
  await writeFile(path.join(dir, "portico.yaml"), yaml);
  const store = await ConfigStore.open(path.join(dir, "portico.yaml"), { logger });
  const metrics = new Metrics();
  const service = new AppDataService({ logger, metrics });
  await service.attach(store);
  return { store, service, metrics };
}

describe("data connections", () => {
  it("loads tables and views from SQLite and PostgreSQL with the databases' own types", async () => {
    const { store, service } = await serviceFor(config(postgres.url));
    const types = (id: string) =>
      Object.fromEntries(
        service
          .model(store.current.apps.get(id)!)
          .fields()
          .map((f) => [f.name, f.type]),
      );
    expect(types("city")).toEqual({
      department: "text",
      amount: "number",
      rate: "number",
      day: "date",
      code: "text",
      BigDepartment: "text",
      BigAmount: "number",
    });
    expect(types("spend")).toEqual({
      department: "text",
      amount: "number",
      day: "date",
      visits: "number",
      total: "number",
    });
    const spend = service.model(store.current.apps.get("spend")!);
    expect(spend.fieldStates("amount").values.map((v) => v.value)).toEqual([10.5, 99.25]);
    expect(spend.fieldStates("total").values.map((v) => v.value)).toEqual([109.75]);
    const city = service.model(store.current.apps.get("city")!);
    // The declared TEXT keeps a zero-padded code as written.
    expect(city.fieldStates("code").values.map((v) => v.value)).toEqual(["007", "012"]);
    service.close();
    store.close();
  });

  it("reads only: a statement that writes is refused and changes nothing", async () => {
    const yaml = config(postgres.url).replace('query: "select * from budget"', 'query: "delete from budget"');
    await expect(serviceFor(yaml)).rejects.toThrow(/connection "local": the query returns no rows/);
    const pgWrite = config(postgres.url).replace(
      'query: "select * from spend"',
      'query: "delete from spend returning *"',
    );
    await expect(serviceFor(pgWrite)).rejects.toThrow(/connection "warehouse": .*read-only transaction/);
    const check = new Database(path.join(dir, "city.db"), { readonly: true });
    expect(check.prepare("select count(*) as n from budget").get()).toEqual({ n: 2 });
    check.close();
  });

  it("never shows the password: not in errors, the admin API or the log", async () => {
    const { store, service } = await serviceFor(config(postgres.url));
    const admin = dataAdminRoutes({ appData: service, configStore: store });
    const listing = await (await admin.request("/connections")).text();
    expect(JSON.parse(listing).connections).toEqual([
      { name: "local", type: "sqlite", file: "./city.db" },
      {
        name: "warehouse",
        type: "postgres",
        url: expect.stringContaining("reader@"),
        passwordEnv: "CITY_DB_PASSWORD",
      },
    ]);
    const tested = await (await admin.request("/connections/warehouse/test", { method: "POST" })).json();
    expect(tested).toMatchObject({ name: "warehouse", ok: true });
    // A failure: the variable missing.
    delete process.env.CITY_DB_PASSWORD;
    const failed = await (await admin.request("/connections/warehouse/test", { method: "POST" })).text();
    process.env.CITY_DB_PASSWORD = PASSWORD;
    expect(JSON.parse(failed)).toMatchObject({
      ok: false,
      error: 'connection "warehouse": the environment variable CITY_DB_PASSWORD (passwordEnv) is not set',
    });
    for (const text of [listing, JSON.stringify(tested), failed, logs.join("")])
      expect(text).not.toContain(PASSWORD);
    service.close();
    store.close();
  });

  it("refuses a URL with a password, an unknown connection, a bad cron and a file outside the data directory", async () => {
    const bad = `
dataConnections:
  - name: w
    type: postgres
    url: postgres://reader:hunter2@db.example/city
  - name: f
    type: sqlite
    file: ../elsewhere.db
streams: [{ id: s, name: S }]
apps:
  - id: a
    name: A
    stream: s
    reload: { cron: "not a cron" }
    tables:
      - name: t
        source: { connection: nowhere, query: "select 1" }
`;
    let message = "";
    try {
      ConfigStore.fromText(bad, path.join(dir, "bad.yaml"));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("dataConnections[0].url: must not contain a password");
    expect(message).toContain(
      'apps[0].tables[0].source.connection: unknown data connection "nowhere" (dataConnections: w, f)',
    );
    expect(message).toContain("apps[0].reload.cron: not a cron expression");
    expect(message).not.toContain("hunter2");
    const outside = `
dataConnections:
  - { name: f, type: sqlite, file: ../elsewhere.db }
`;
    expect(() => ConfigStore.fromText(outside, path.join(dir, "bad.yaml"))).toThrow(
      /dataConnections\[0\]\.file: "\.\.\/elsewhere\.db" is outside the data directory \(dataDir\); SQLite connections must be files inside it/,
    );
  });
});

describe("reloads", () => {
  it("keeps answering queries during a reload of a 1,000,000-row table, then shows only the new data", async () => {
    const yaml = `
dataConnections:
  - { name: local, type: sqlite, file: ./city.db }
streams: [{ id: s, name: S }]
apps:
  - id: events
    name: Events
    stream: s
    tables:
      - name: events
        source: { connection: local, query: "select n, grp from events" }
`;
    const { store, service } = await serviceFor(yaml);
    const app = store.current.apps.get("events")!;
    const groups = () =>
      service
        .model(app)
        .fieldStates("grp")
        .values.map((v) => v.value);
    expect(service.model(app).tables()[0]?.rowCount).toBe(1_000_000);
    expect(groups()).toHaveLength(10);
    const db = new Database(path.join(dir, "city.db"));
    db.exec("insert into events values (1000001, 'new')");
    db.close();
    let answered = 0;
    let reloading = true;
    const reload = service.reload("events").finally(() => {
      reloading = false;
    });
    // The event loop is never held for long while the rows are read: answers keep coming.
    while (reloading) {
      expect(groups()).toHaveLength(10);
      answered++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const report = await reload;
    expect(answered).toBeGreaterThan(3);
    expect(report.tables[0]?.rowCount).toBe(1_000_001);
    expect(groups()).toEqual([...Array.from({ length: 10 }, (_, i) => `g${i}`), "new"].sort());
    expect(service.reloads("events")[0]).toMatchObject({
      trigger: "admin",
      ok: true,
      rows: { events: 1_000_001 },
    });
    service.close();
    store.close();
  }, 120_000);

  it("keeps the old data when a reload fails, and records why (connection refused, bad query, malformed file)", async () => {
    await writeFile(path.join(dir, "visits.ndjson"), '{"Branch":"North","Visits":1}\n');
    const yaml = config(postgres.url).replace(
      "apps:",
      `apps:
  - id: visits
    name: Visits
    stream: s
    tables:
      - name: visits
        source: visits.ndjson`,
    );
    const { store, service, metrics } = await serviceFor(yaml);
    const before = service.model(store.current.apps.get("spend")!);
    await postgres.stop();
    await expect(service.reload("spend")).rejects.toThrow(/connection "warehouse": .*ECONNREFUSED/);
    expect(service.model(store.current.apps.get("spend")!)).toBe(before);
    await writeFile(path.join(dir, "visits.ndjson"), '{"Branch":"North"\n');
    await expect(service.reload("visits")).rejects.toThrow(/visits\.ndjson, line 1/);
    const db = new Database(path.join(dir, "city.db"));
    db.exec("alter table budget rename to budget_old");
    db.close();
    try {
      await expect(service.reload("city")).rejects.toThrow(/connection "local": no such table: budget/);
    } finally {
      const undo = new Database(path.join(dir, "city.db"));
      undo.exec("alter table budget_old rename to budget");
      undo.close();
    }
    for (const id of ["spend", "visits", "city"]) {
      expect(service.reloads(id)[0]).toMatchObject({
        trigger: "admin",
        ok: false,
        error: expect.any(String),
      });
      expect(service.model(store.current.apps.get(id)!).tables().length).toBeGreaterThan(0);
    }
    expect(metrics.render({})).toContain(
      'portico_app_reloads_total{app="spend",trigger="admin",result="failed"} 1',
    );
    service.close();
    store.close();
    postgres = await startPostgres();
  }, 120_000);

  it("takes a reload asked on one node to the others through the shared change log", async () => {
    const yaml = `
dataConnections:
  - { name: local, type: sqlite, file: ./city.db }
streams: [{ id: s, name: S }]
apps:
  - id: city
    name: City
    stream: s
    tables:
      - name: budget
        source: { connection: local, query: "select * from budget" }
`;
    const nodes = [];
    for (const name of ["a", "b"]) {
      await writeFile(path.join(dir, `${name}.yaml`), yaml);
      const store = await ConfigStore.open(path.join(dir, `${name}.yaml`), { logger });
      const storage = await openStorage(postgres.url);
      store.useStorage(storage);
      const service = new AppDataService({ logger });
      await service.attach(store);
      nodes.push({ store, storage, service });
    }
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    await b.store.followChanges(60_000); // polled by hand below
    const db = new Database(path.join(dir, "city.db"));
    db.exec("insert into budget values ('Harbor', 5, 1, '2024-05-01', '031')");
    try {
      const admin = dataAdminRoutes({ appData: a.service, configStore: a.store });
      const res = await admin.request("/apps/city/reload", { method: "POST" });
      expect(res.status).toBe(200);
      expect(a.service.reloads("city")[0]).toMatchObject({ trigger: "admin", ok: true, rows: { budget: 3 } });
      expect(b.service.reloads("city")).toEqual([]);
      await b.store.pullChanges();
      await until(() => b.service.reloads("city")[0]?.ok === true, "the reload on the other node");
      expect(b.service.reloads("city")[0]).toMatchObject({ trigger: "cluster", rows: { budget: 3 } });
      // Asked once, done once: the next poll finds nothing new.
      await b.store.pullChanges();
      expect(b.service.reloads("city")).toHaveLength(1);
    } finally {
      db.exec("delete from budget where department = 'Harbor'");
      db.close();
      for (const node of nodes) {
        node.service.close();
        node.store.close();
        await node.storage.close();
      }
    }
  }, 60_000);

  it("reloads on a cron schedule", async () => {
    const yaml = `
dataConnections:
  - { name: local, type: sqlite, file: ./city.db }
streams: [{ id: s, name: S }]
apps:
  - id: city
    name: City
    stream: s
    reload: { cron: "* * * * * *" }
    tables:
      - name: budget
        source: { connection: local, query: "select * from budget" }
`;
    const { store, service } = await serviceFor(yaml);
    await until(() => service.reloads("city").length >= 2, "two scheduled reloads");
    expect(service.reloads("city")[0]).toMatchObject({ trigger: "schedule", ok: true, rows: { budget: 2 } });
    service.close();
    store.close();
  }, 30_000);
});
