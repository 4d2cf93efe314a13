/**
 * The one parser of where the coordination data lives: the backend URL (`embedded:` or
 * `zookeeper://user:password@h1:2181,h2:2181/chroot`) and the ZooKeeper connect string inside
 * it (`h1:2181,h2/chroot`, the Java client's form). The server, the ZooKeeper adapter and the
 * tools all read it through here, so a URL means the same thing (and fails the same way) everywhere.
 */
// the browser-safe entries: the console bundles this file
import { CoordinatorError } from "@conifer/coordinator/errors";
import { assertValidPath } from "@conifer/coordinator/paths";

export interface HostPort {
  host: string;
  port: number;
}

export interface ZooKeeperAddress {
  hosts: HostPort[];
  /** "" when none */
  chroot: string;
  /** digest credentials from the URL's user:password (percent-decoded), or null */
  credentials: { user: string; password: string } | null;
}

export type BackendUrl = { kind: "embedded" } | ({ kind: "zookeeper" } & ZooKeeperAddress);

const ZK_SCHEME = "zookeeper://";
const DEFAULT_ZK_PORT = 2181;
/** what a valid backend URL looks like, for error messages */
export const BACKEND_URL_FORMS = 'use "embedded:" or zookeeper://[user:password@]host:2181[,host:2181...][/chroot]';

/** Parses a backend URL; anything but the two forms is BAD_ARGUMENTS saying what is accepted. */
export function parseBackendUrl(url: string): BackendUrl {
  const trimmed = url.trim();
  if (trimmed === "embedded:" || trimmed === "embedded") return { kind: "embedded" };
  if (!trimmed.startsWith(ZK_SCHEME))
    throw new CoordinatorError("BAD_ARGUMENTS", `Unsupported backend URL ${JSON.stringify(url)}: ${BACKEND_URL_FORMS}`);
  return { kind: "zookeeper", ...parseZooKeeperAddress(trimmed) };
}

/** Parses a `zookeeper://` URL or a bare connect string `h1:2181,h2:2181/chroot`. */
export function parseZooKeeperAddress(input: string): ZooKeeperAddress {
  let rest = input.trim();
  let credentials: ZooKeeperAddress["credentials"] = null;
  if (rest.startsWith(ZK_SCHEME)) {
    rest = rest.slice(ZK_SCHEME.length);
    // the userinfo ends at the last "@" before the chroot: a password may contain "@" unencoded
    const slash = rest.indexOf("/");
    const at = rest.lastIndexOf("@", slash === -1 ? undefined : slash);
    if (at >= 0) {
      credentials = parseCredentials(rest.slice(0, at));
      rest = rest.slice(at + 1);
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
    .map(parseHost);
  if (hosts.length === 0) throw new CoordinatorError("BAD_ARGUMENTS", `no hosts in ${JSON.stringify(input)}`);
  return { hosts, chroot, credentials };
}

/** The address without credentials, for display: `h1:2181,h2:2181/chroot`. */
export function describeZooKeeperAddress(a: Pick<ZooKeeperAddress, "hosts" | "chroot">): string {
  return a.hosts.map((h) => `${h.host.includes(":") ? `[${h.host}]` : h.host}:${String(h.port)}`).join(",") + a.chroot;
}

/** The backend URL for logs: credentials masked. */
export function describeBackendUrl(b: BackendUrl): string {
  if (b.kind === "embedded") return "embedded:";
  return ZK_SCHEME + (b.credentials ? "***@" : "") + describeZooKeeperAddress(b);
}

function parseCredentials(userinfo: string): { user: string; password: string } {
  const colon = userinfo.indexOf(":");
  if (colon < 0) throw new CoordinatorError("BAD_ARGUMENTS", "zookeeper:// credentials must be user:password");
  try {
    return {
      user: decodeURIComponent(userinfo.slice(0, colon)),
      password: decodeURIComponent(userinfo.slice(colon + 1)),
    };
  } catch {
    throw new CoordinatorError("BAD_ARGUMENTS", "zookeeper:// credentials are not valid percent-encoding");
  }
}

function parseHost(h: string): HostPort {
  const m = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d+))?$/.exec(h);
  if (!m) throw new CoordinatorError("BAD_ARGUMENTS", `bad ZooKeeper address ${JSON.stringify(h)}`);
  const port = m[2] ? Number(m[2]) : DEFAULT_ZK_PORT;
  if (port < 1 || port > 65535)
    throw new CoordinatorError("BAD_ARGUMENTS", `bad ZooKeeper port in ${JSON.stringify(h)}: must be 1-65535`);
  return { host: (m[1] ?? "").replace(/^\[|\]$/g, ""), port };
}
