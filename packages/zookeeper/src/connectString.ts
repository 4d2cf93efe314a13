/**
 * Where the ensemble is, as this adapter needs it: @conifer/shared's one parser of connect
 * strings (`h1:2181,h2:2181/chroot`) and `zookeeper://user:password@...` URLs, with the URL's
 * credentials turned into a digest auth.
 */
import { describeZooKeeperAddress, parseZooKeeperAddress, type HostPort } from "@conifer/shared";

export interface ParsedConnectString {
  hosts: HostPort[];
  /** "" when none */
  chroot: string;
  auth: { scheme: string; auth: string }[];
}

export function parseConnectString(input: string): ParsedConnectString {
  const { hosts, chroot, credentials } = parseZooKeeperAddress(input);
  const auth = credentials ? [{ scheme: "digest", auth: `${credentials.user}:${credentials.password}` }] : [];
  return { hosts, chroot, auth };
}

/** the connect string without credentials, for display */
export function describeConnectString(p: ParsedConnectString): string {
  return describeZooKeeperAddress(p);
}
