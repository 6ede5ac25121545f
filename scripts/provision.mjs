// Finds (and, where it can, installs) the system programs the tests need: Debian's Chromium and the
// PostgreSQL server binaries. Never downloads a browser of its own: a test tool's browser download does
// not work on a closed network and would not be the browser people use anyway.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, realpathSync } from "node:fs";
import { join } from "node:path";

const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function hasApt() {
  return spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
}

let aptUpdated = false;
function aptInstall(packages) {
  if (!isRoot() || !hasApt()) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (!aptUpdated) {
    console.log("provision: apt-get update");
    execFileSync("apt-get", ["update", "-q"], { stdio: "inherit", env });
    aptUpdated = true;
  }
  console.log(`provision: apt-get install -y ${packages.join(" ")}`);
  execFileSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...packages], {
    stdio: "inherit",
    env,
  });
  return true;
}

/** The path of a usable Chromium, installing Debian's package when missing and possible. */
export function ensureChromium() {
  const configured = process.env.CHROME_PATH;
  if (configured) {
    if (existsSync(configured)) return configured;
    throw new Error(`CHROME_PATH is set to ${configured}, which does not exist`);
  }
  const found = CHROMIUM_CANDIDATES.find((p) => existsSync(p));
  if (found) return found;
  if (aptInstall(["chromium"]) && existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  throw new Error(
    "Chromium is missing. Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu) or set CHROME_PATH " +
      "to a Chromium or Chrome executable.",
  );
}

/** The directory holding `initdb` and `pg_ctl`, installing Debian's package when missing and possible. */
export function ensurePostgresBin() {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, "initdb"))) return fromEnv;
  const find = () => {
    const onPath = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
    if (onPath.status === 0 && onPath.stdout.trim()) return join(realpathSync(onPath.stdout.trim()), "..");
    const root = "/usr/lib/postgresql";
    if (!existsSync(root)) return undefined;
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(join(root, v, "bin", "initdb"))) return join(root, v, "bin");
    return undefined;
  };
  const found = find();
  if (found) return found;
  if (aptInstall(["postgresql"])) {
    const installed = find();
    if (installed) return installed;
  }
  throw new Error(
    "PostgreSQL server binaries are missing. Install them with `sudo apt-get install -y postgresql` or set " +
      "PG_BIN to the directory holding initdb and pg_ctl (or PORTICO_TEST_PG_URL to an existing database).",
  );
}
