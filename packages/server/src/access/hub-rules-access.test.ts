// Rules pasted from the modelled hub, decided over configured content: owners, descriptions, user
// attributes by name from the directory and the ticket, and the warnings for what Portico does not model.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConfigStore } from "../config/config-store.js";
import { createLogger } from "../ops/create-logger.js";
import { AccessControl } from "./access-control.js";
import { appResource, streamResource } from "./rule-resources.js";
import { buildRuleUser } from "./rule-user.js";

const YAML = `
userDirectories:
  - name: CORP
    users:
      - userId: hanna
        groups: [HR]
        attributes: { department: People, email: shadowed@corp.example }
      - userId: kyle
        groups: [Sales]
streams:
  - id: hr
    name: HR
    description: People and payroll
    owner: corp\\HANNA
    customProperties: { Group: HR }
  - id: sales
    name: Sales
apps:
  - id: survey
    name: Staff survey
    description: Results of the staff survey
    stream: hr
    owner: CORP\\hanna
  - id: pipeline
    name: Pipeline
    stream: sales
securityRules:
  - name: Owner
    resourceFilter: "*"
    actions: [read, update]
    condition: resource.IsOwned() and resource.owner = user
    context: both
  - name: Content library content
    resourceFilter: StaticContentReference_*, ContentLibrary_*
    actions: [read]
    condition: resource.ContentLibrarys.HasPrivilege("Read")
    context: both
  - name: Not archived
    resourceFilter: Stream_*
    actions: [read]
    condition: user.department = "People" and !(resource.category = "archive")
    context: hub
  - name: Survey apps
    resourceFilter: App_*
    actions: [read]
    condition: resource.description like "*survey*" and user.group = "Sales" and user.region = "north"
    context: hub
  - name: Stream group
    resourceFilter: Stream_*
    actions: [read]
    condition: user.@Group = resource.@Group
    context: hub
`;

function open(logger?: ReturnType<typeof createLogger>) {
  return ConfigStore.fromText(YAML, "/tmp/portico-hub-rules/portico.yaml", logger ? { logger } : {});
}

function userOf(store: ConfigStore, ref: string, attributes: Record<string, string> = {}) {
  const [userDirectory, userId] = ref.split("\\") as [string, string];
  return buildRuleUser({ userDirectory, userId, attributes }, store.current, {
    ip: "10.0.0.1",
    userAgent: undefined,
    secure: true,
    context: "hub",
  });
}

describe("rules from the hub over configured content", () => {
  it("lets an owner read and update what it owns, by directory and user id in any case", () => {
    const store = open();
    const access = new AccessControl(store.current);
    const survey = appResource(store.current.apps.get("survey")!, store.current);
    expect(survey.owner).toMatchObject({ userDirectory: "CORP", userId: "hanna", groups: ["HR"] });
    expect(access.can(userOf(store, "CORP\\hanna"), "update", survey)).toBe(true);
    expect(access.can(userOf(store, "corp\\HANNA"), "update", survey)).toBe(true);
    expect(access.can(userOf(store, "CORP\\kyle"), "update", survey)).toBe(false);
    expect(access.can(userOf(store, "OTHER\\hanna"), "update", survey)).toBe(false);
    const pipeline = appResource(store.current.apps.get("pipeline")!, store.current);
    expect(access.can(userOf(store, "CORP\\hanna"), "update", pipeline)).toBe(false);
  });

  it("reads directory attributes by name, and a property Portico does not model as missing", () => {
    const store = open();
    const access = new AccessControl(store.current);
    const hanna = userOf(store, "CORP\\hanna");
    // user.department from the directory; !(resource.category = "archive") holds: category is missing.
    expect(access.readableStreams(hanna).map((s) => s.id)).toEqual(["hr", "sales"]);
    expect(access.readableStreams(userOf(store, "CORP\\kyle")).map((s) => s.id)).toEqual([]);
  });

  it("reads ticket attributes by name, under the directory's, and models descriptions", () => {
    const store = open();
    const access = new AccessControl(store.current);
    const survey = appResource(store.current.apps.get("survey")!, store.current);
    expect(survey.description).toBe("Results of the staff survey");
    expect(streamResource(store.current.streams.get("hr")!, store.current).description).toBe(
      "People and payroll",
    );
    expect(access.can(userOf(store, "CORP\\kyle", { region: "north" }), "read", survey)).toBe(true);
    expect(access.can(userOf(store, "CORP\\kyle", { region: "south" }), "read", survey)).toBe(false);
    expect(access.can(userOf(store, "CORP\\kyle"), "read", survey)).toBe(false);
    // The hub's custom properties of a stream against a ticket's attribute.
    const hr = store.current.streams.get("hr")!;
    expect(streamResource(hr, store.current).properties).toEqual({ Group: "HR" });
    expect(access.readableStreams(userOf(store, "CORP\\kyle", { Group: "hr" })).map((s) => s.id)).toEqual([
      "hr",
    ]);
    // The directory wins a clash with the ticket.
    const hanna = userOf(store, "CORP\\hanna", { department: "Sales" });
    expect(hanna.properties?.department).toBe("People");
  });

  it("refuses an owner that is not DIRECTORY\\userId, naming where", () => {
    expect(() =>
      ConfigStore.fromText(
        YAML.replace("owner: CORP\\hanna", "owner: hanna"),
        "/tmp/portico-hub-rules/portico.yaml",
      ),
    ).toThrow(/apps\[0\]\.owner: must be DIRECTORY\\userId/);
  });

  it("warns at load, in the log, for what does not mean in Portico what it means in the hub", () => {
    const lines: Array<{ level: number; msg: string; path?: string }> = [];
    const destination = new Writable({
      write(chunk, _e, done) {
        for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const store = open(createLogger({ destination }));
    const warnings = store.current.warnings.map((w) => `${w.path}: ${w.message}`);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^securityRules\[1\]\.resourceFilter: StaticContentReference_\*, ContentLibrary_\* match nothing: .*so the rule never applies$/,
      ),
      expect.stringMatching(
        /^securityRules\[1\]\.condition: line 1, column 1: resource\.ContentLibrarys\.HasPrivilege\("read"\) is always false: Portico does not model resource\.ContentLibrarys/,
      ),
      expect.stringMatching(
        /^securityRules\[2\]\.condition: line 1, column 34: resource\.category = "archive" is always false: .*the ! around it makes that true/,
      ),
      "userDirectories[0].users[0].attributes.email: rules read user.email as the built-in user.email, not this attribute; write user.@email for the attribute",
    ]);
    const logged = lines.filter((l) => l.level === 40).map((l) => l.msg);
    expect(logged).toHaveLength(4);
    for (const warning of warnings) expect(logged).toContain(`configuration: ${warning}`);
  });
});
