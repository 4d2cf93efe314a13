/**
 * Parses where the ensemble is: a ZooKeeper connect string `h1:2181,h2:2181/chroot`, or a URL
 * `zookeeper://user:password@h1:2181,h2:2181/chroot` whose credentials become a digest auth.
 */
import { assertValidPath, CoordinatorError } from "@conifer/coordinator";
import type { HostPort } from "./wire/client.ts";

export interface ParsedConnectString {
  hosts: HostPort[];
  /** "" when none */
  chroot: string;
  auth: { scheme: string; auth: string }[];
}

export function parseConnectString(input: string): ParsedConnectString {
  let rest = input.trim();
  const auth: ParsedConnectString["auth"] = [];
  if (rest.startsWith("zookeeper://")) {
    rest = rest.slice("zookeeper://".length);
    const at = rest.lastIndexOf("@", rest.indexOf("/") === -1 ? undefined : rest.indexOf("/"));
    if (at >= 0) {
      const cred = rest.slice(0, at);
      rest = rest.slice(at + 1);
      const colon = cred.indexOf(":");
      if (colon < 0) throw new CoordinatorError("BAD_ARGUMENTS", "zookeeper:// credentials must be user:password");
      auth.push({
        scheme: "digest",
        auth: `${decodeURIComponent(cred.slice(0, colon))}:${decodeURIComponent(cred.slice(colon + 1))}`,
      });
    }
  }
  const slash = rest.indexOf("/");
  const hostPart = slash >= 0 ? rest.slice(0, slash) : rest;
  let chroot = slash >= 0 ? rest.slice(slash) : "";
  if (chroot === "/") chroot = "";
  if (chroot) assertValidPath(chroot);
  const hosts = hostPart
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean)
    .map((h) => {
      const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(h);
      if (!m) throw new CoordinatorError("BAD_ARGUMENTS", `bad ZooKeeper address ${JSON.stringify(h)}`);
      return { host: (m[1] ?? "").replace(/^\[|\]$/g, ""), port: m[2] ? Number(m[2]) : 2181 };
    });
  if (hosts.length === 0) throw new CoordinatorError("BAD_ARGUMENTS", `no hosts in ${JSON.stringify(input)}`);
  return { hosts, chroot, auth };
}

/** the connect string without credentials, for display */
export function describeConnectString(p: ParsedConnectString): string {
  return p.hosts.map((h) => `${h.host.includes(":") ? `[${h.host}]` : h.host}:${h.port}`).join(",") + p.chroot;
}
