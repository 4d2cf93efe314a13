// Small helpers shared by the repo scripts (start, test, bench): run a command, install Debian
// packages when a binary is missing. Scripts only; nothing in packages/ imports this.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", ...opts });
  if (r.status !== 0) {
    console.error(`\n✖ ${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}`);
    process.exit(r.status ?? 1);
  }
}

let aptUpdated = false;
/** Installs Debian packages whose marker file is missing (e.g. { chromium: "/usr/bin/chromium" }). */
export function ensureDebianPackages(markers) {
  const missing = Object.entries(markers)
    .filter(([, file]) => !existsSync(file))
    .map(([pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(
      `Missing Debian packages: ${missing.join(" ")}. Install them with: sudo apt-get install -y ${missing.join(" ")}`,
    );
    process.exit(1);
  }
  console.log(`Installing Debian packages: ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (!aptUpdated) {
    run("apt-get", ["update", "-qq"], { env });
    aptUpdated = true;
  }
  run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { env });
}
