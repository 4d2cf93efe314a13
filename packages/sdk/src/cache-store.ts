/**
 * The local cache directory: the last applied version of every path, one file per path, so an
 * application restarted while the server is unreachable starts from what it had. Files are
 * replaced atomically (write a temp file, fsync, rename) so a crash mid-write leaves either the
 * old or the new version, never half of one. Anything unreadable is ignored with a warning.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { ConfigSnapshot } from "@conifer/protocol";
import type { Logger } from "./options.ts";

export type Format = ConfigSnapshot["format"];
const FORMATS: readonly Format[] = ["json", "yaml", "properties", "toml", "text"];

/** What one cache file holds. `raw` is the content as the server sent it; it is re-parsed on load. */
export interface CacheEntry {
  path: string;
  version: number;
  mzxid: string;
  format: Format;
  raw: string;
  savedAt: number;
}

const SUFFIX = ".conifer-cache.json";
const FILE_VERSION = 1;

/**
 * File name for a path: URI-encoded (readable, no "/" left), with a hash instead of the tail
 * when it would exceed common file-name limits. The path is also stored inside the file and
 * checked on load, so a name clash can only cost a cache miss.
 */
export function cacheFileName(path: string): string {
  const encoded = encodeURIComponent(path);
  if (encoded.length <= 180) return encoded + SUFFIX;
  const hash = createHash("sha256").update(path).digest("hex").slice(0, 32);
  return `${encoded.slice(0, 120)}~${hash}${SUFFIX}`;
}

function parseEntry(text: string, path: string): CacheEntry | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return `not JSON (${(e as Error).message})`;
  }
  if (typeof doc !== "object" || doc === null) return "not an object";
  const d = doc as Record<string, unknown>;
  if (d.conifer !== FILE_VERSION) return "unknown cache file version";
  if (d.path !== path) return `holds ${JSON.stringify(d.path)}, not ${JSON.stringify(path)}`;
  if (typeof d.version !== "number" || !Number.isInteger(d.version)) return "bad version";
  if (typeof d.mzxid !== "string" || !/^\d{1,20}$/.test(d.mzxid)) return "bad mzxid";
  if (typeof d.format !== "string" || !FORMATS.includes(d.format as Format)) return "bad format";
  if (typeof d.raw !== "string") return "bad raw content";
  return {
    path,
    version: d.version,
    mzxid: d.mzxid,
    format: d.format as Format,
    raw: d.raw,
    savedAt: typeof d.savedAt === "number" ? d.savedAt : 0,
  };
}

export class CacheStore {
  /** per-path write chains: an older write never lands after a newer one */
  private readonly chains = new Map<string, Promise<void>>();
  private dirReady: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  fileFor(path: string): string {
    return join(this.dir, cacheFileName(path));
  }

  /** The cached entry, or undefined when there is none or it is unusable (warned). */
  async load(path: string): Promise<CacheEntry | undefined> {
    const file = this.fileFor(path);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") {
        this.logger.warn(`cache file ${file} unreadable, ignored: ${(e as Error).message}`);
      }
      return undefined;
    }
    const entry = parseEntry(text, path);
    if (typeof entry === "string") {
      this.logger.warn(`cache file ${file} ignored: ${entry}`);
      return undefined;
    }
    return entry;
  }

  /** Queues an atomic replace of the path's file; errors are warned, never thrown. */
  save(entry: Omit<CacheEntry, "savedAt">): Promise<void> {
    return this.enqueue(entry.path, async () => {
      await this.ensureDir();
      const file = this.fileFor(entry.path);
      const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
      const body = JSON.stringify({ conifer: FILE_VERSION, ...entry, savedAt: Date.now() });
      const fh = await open(tmp, "w", 0o600);
      try {
        await fh.writeFile(body, "utf8");
        await fh.sync();
      } finally {
        await fh.close();
      }
      try {
        await rename(tmp, file);
      } catch (e) {
        await unlink(tmp).catch(() => undefined);
        throw e;
      }
    });
  }

  /** Queues removal of the path's file (the path was deleted on the server). */
  remove(path: string): Promise<void> {
    return this.enqueue(path, async () => {
      await unlink(this.fileFor(path)).catch((e: unknown) => {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      });
    });
  }

  /** Resolves when every queued write has landed (or failed and been warned). */
  async flush(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  private ensureDir(): Promise<void> {
    this.dirReady ??= mkdir(this.dir, { recursive: true }).then(
      () => undefined,
      (e: unknown) => {
        this.dirReady = undefined; // try again next time
        throw e;
      },
    );
    return this.dirReady;
  }

  private enqueue(path: string, work: () => Promise<void>): Promise<void> {
    const prev = this.chains.get(path) ?? Promise.resolve();
    const next = prev.then(work).catch((e: unknown) => {
      this.logger.warn(`cache write for ${path} failed: ${(e as Error).message}`);
    });
    this.chains.set(path, next);
    void next.then(() => {
      if (this.chains.get(path) === next) this.chains.delete(path);
    });
    return next;
  }
}
