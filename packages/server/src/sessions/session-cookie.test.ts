import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classicConfig, createHarness, type Harness } from "../testing/harness.js";
import { sessionCookieName, sessionCookiePath } from "./session-cookie.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness(
    (await classicConfig()).replace("publicUrl: http://portico.test", "publicUrl: https://portico.test"),
  );
});
afterAll(async () => h.close());

describe("session cookie", () => {
  it("is named and scoped per proxy", () => {
    expect(sessionCookieName("")).toBe("X-Portico-Session");
    expect(sessionCookieName("anon")).toBe("X-Portico-Session-anon");
    expect(sessionCookiePath("")).toBe("/");
    expect(sessionCookiePath("anon")).toBe("/anon");
  });

  it("is Secure when the server is served over https", async () => {
    const res = await h.login("", { userId: "alice", password: "alice-correct-horse" });
    expect(res.status).toBe(201);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^X-Portico-Session=/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; Path=\//);
  });
});
