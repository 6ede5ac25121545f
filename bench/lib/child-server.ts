import { type ChildProcess, spawn } from "node:child_process";

/**
 * A bench server in a child process (so it has a core of its own): runs `script` with `args` under tsx and
 * resolves once it prints `{"port":N}` (or `{"port":N,"probePort":M}`) on stdout.
 */
export function startChildServer(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ child: ChildProcess; base: string; probeBase?: string }> {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", script, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env,
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /\{"port":(\d+)(?:,"probePort":(\d+))?\}/.exec(out);
      if (match)
        resolve({
          child,
          base: `http://127.0.0.1:${match[1]}`,
          ...(match[2] ? { probeBase: `http://127.0.0.1:${match[2]}` } : {}),
        });
    });
    child.once("exit", (code) => reject(new Error(`bench server exited (${code})`)));
  });
}

/** SIGTERM, then wait for the child to be gone. */
export async function stopChildServer(child: ChildProcess): Promise<void> {
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
}
