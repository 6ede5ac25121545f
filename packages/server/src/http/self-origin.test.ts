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
  return async (url: string, headers: Record<string, string> = {}, localPort?: number) =>
    (
      await app.request(
        new Request(url, { headers }),
        undefined,
        localPort === undefined ? undefined : { incoming: { socket: { localPort } } },
      )
    ).json();
}

describe("selfOrigin / isSecureRequest", () => {
  it("follow the request's own scheme without a public URL", async () => {
    const ask = answer();
    expect(await ask("http://hub.example:8080/anon/api/v1/hub?x=https://a")).toMatchObject({ secure: false });
    expect(await ask("HTTPS://Hub.Example/anon/embed")).toMatchObject({ secure: true });
    // A path or query that merely mentions https does not make a plain request secure.
    expect(await ask("http://hub.example/https:/x?u=https://evil")).toMatchObject({ secure: false });
  });

  it("never take the self origin from the Host header: without a public URL it is a loopback origin on the socket's port", async () => {
    const ask = answer();
    // A DNS-rebinding page: its own name points at this server, so Host and Origin agree.
    expect(
      await ask("http://evil.example:4000/anon/api/v1/hub", { origin: "http://evil.example:4000" }, 4000),
    ).toMatchObject({ self: "http://localhost:4000" });
    expect(await ask("http://hub.example:8080/x", {}, 8080)).toMatchObject({ self: "http://localhost:8080" });
    for (const own of ["http://127.0.0.1:4000", "http://localhost:4000", "http://[::1]:4000"])
      expect(await ask("http://127.0.0.1:4000/x", { origin: own }, 4000)).toMatchObject({ self: own });
    // Another port on this machine is another site; so is a loopback name over another scheme.
    expect(await ask("http://127.0.0.1:4000/x", { origin: "http://localhost:5173" }, 4000)).toMatchObject({
      self: "http://localhost:4000",
    });
    expect(await ask("http://127.0.0.1:4000/x", { origin: "https://localhost:4000" }, 4000)).toMatchObject({
      self: "http://localhost:4000",
    });
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
