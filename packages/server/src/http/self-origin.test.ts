import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { ConfigStore } from "../config/config-store.js";
import { isSecureRequest, selfOrigin } from "./self-origin.js";

function answer(publicUrl?: string) {
  const server = publicUrl ? `server:\n  publicUrl: ${publicUrl}\n` : "";
  const store = ConfigStore.fromText(`${server}virtualProxies:\n  - prefix: ""\n`, "/tmp/portico.yaml");
  const app = new Hono();
  app.get("*", (c) =>
    c.json({ secure: isSecureRequest(c, store.current), self: selfOrigin(c, store.current) }),
  );
  // A Request, so that the URL is normalized as a server would see it (scheme and host lower-cased).
  return async (url: string) => (await app.request(new Request(url))).json();
}

describe("selfOrigin / isSecureRequest", () => {
  it("follow the request's own scheme and host without a public URL", async () => {
    const ask = answer();
    expect(await ask("http://hub.example:8080/anon/api/v1/hub?x=https://a")).toEqual({
      secure: false,
      self: "http://hub.example:8080",
    });
    expect(await ask("HTTPS://Hub.Example/anon/embed")).toEqual({
      secure: true,
      self: "https://hub.example",
    });
    // A path or query that merely mentions https does not make a plain request secure.
    expect(await ask("http://hub.example/https:/x?u=https://evil")).toMatchObject({ secure: false });
  });

  it("follow server.publicUrl when configured, whatever the request says (TLS ends at a proxy)", async () => {
    expect(await answer("https://portal.example/base")("http://10.0.0.5:3000/hub")).toEqual({
      secure: true,
      self: "https://portal.example",
    });
    expect(await answer("http://portal.example")("https://10.0.0.5/hub")).toEqual({
      secure: false,
      self: "http://portal.example",
    });
  });
});
