/**
 * A session's chroot applied in both directions: client paths become server paths on the way
 * out, and server paths (in replies and notifications) lose the chroot on the way in. A server
 * path outside the chroot has no client path (`fromServer` answers null).
 */
export class ChrootPaths {
  /** `chroot`: "" for none, else an absolute path without a trailing slash */
  constructor(private readonly chroot: string) {}

  toServer(path: string): string {
    if (!this.chroot) return path;
    return path === "/" ? this.chroot : this.chroot + path;
  }

  fromServer(serverPath: string): string | null {
    if (!this.chroot) return serverPath;
    if (serverPath === this.chroot) return "/";
    if (serverPath.startsWith(this.chroot + "/")) return serverPath.slice(this.chroot.length);
    return null;
  }

  /** for paths the server derived from a client path (create's answer): they are inside the chroot */
  fromServerStrict(serverPath: string): string {
    return this.fromServer(serverPath) ?? serverPath;
  }

  /** a path prefix (getEphemerals' argument): "/" under a chroot is the chroot's children */
  prefixToServer(prefix: string): string {
    return this.chroot ? (prefix === "/" ? `${this.chroot}/` : this.chroot + prefix) : prefix;
  }
}
