/**
 * Where recovery puts log data it will not replay. Mid-log corruption means something other
 * than a crash damaged the log; cutting it off silently would destroy the evidence (and maybe
 * acknowledged writes someone could still salvage by hand), so the bytes are kept, not deleted.
 */
import { mkdir, open, rename } from "node:fs/promises";
import { join } from "node:path";

import { QUARANTINE_DIR, syncDir } from "./files.ts";

export class Quarantine {
  private readonly stamp = new Date().toISOString().replace(/[:.]/g, "-");
  private created = false;

  constructor(
    private readonly dir: string,
    private readonly fsync: boolean,
  ) {}

  private async target(name: string): Promise<string> {
    const qdir = join(this.dir, QUARANTINE_DIR);
    if (!this.created) {
      await mkdir(qdir, { recursive: true });
      if (this.fsync) await syncDir(this.dir);
      this.created = true;
    }
    return join(QUARANTINE_DIR, `${this.stamp}-${name}`);
  }

  /** Copies the cut-off tail of a file; the caller truncates the original afterwards. */
  async keepBytes(name: string, offset: number, bytes: Uint8Array): Promise<string> {
    const rel = await this.target(`${name}.from-${offset}`);
    const handle = await open(join(this.dir, rel), "w");
    try {
      await handle.writeFile(bytes);
      // the original is truncated right after this: the copy must be on disk first
      if (this.fsync) await handle.sync();
    } finally {
      await handle.close();
    }
    await this.sync();
    return rel;
  }

  /** Moves a whole file out of the data dir's namespace. */
  async moveFile(name: string): Promise<string> {
    const rel = await this.target(name);
    await rename(join(this.dir, name), join(this.dir, rel));
    return rel;
  }

  async sync(): Promise<void> {
    if (this.created && this.fsync) await syncDir(join(this.dir, QUARANTINE_DIR));
  }
}
