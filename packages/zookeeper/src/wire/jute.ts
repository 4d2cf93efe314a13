/**
 * Jute, ZooKeeper's serialization (§5.2 of the protocol reference): big-endian ints and longs,
 * length-prefixed buffers and UTF-8 strings with -1 meaning null, count-prefixed vectors.
 * A growable writer and a bounds-checked reader; records are composed from these in records.ts.
 */

export class JuteWriter {
  private buf: Buffer;
  /** starts past 4 bytes kept for the frame's length, so frame() needs no copy */
  private len = 4;

  /** `expected`: about how many bytes the record will take (a reply with 1 KB of data: say 1,100) */
  constructor(expected = 252) {
    this.buf = Buffer.allocUnsafe(expected + 4);
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  int(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.len);
    this.len += 4;
    return this;
  }

  long(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(v, this.len);
    this.len += 8;
    return this;
  }

  bool(v: boolean): this {
    this.ensure(1);
    this.buf[this.len++] = v ? 1 : 0;
    return this;
  }

  buffer(v: Buffer | null | undefined): this {
    if (v == null) return this.int(-1);
    this.int(v.length);
    this.ensure(v.length);
    v.copy(this.buf, this.len);
    this.len += v.length;
    return this;
  }

  ustring(v: string | null | undefined): this {
    if (v == null) return this.int(-1);
    const n = Buffer.byteLength(v, "utf8");
    this.int(n);
    this.ensure(n);
    this.buf.write(v, this.len, n, "utf8");
    this.len += n;
    return this;
  }

  vector<T>(items: readonly T[] | null | undefined, each: (w: this, item: T) => void): this {
    if (items == null) return this.int(-1);
    this.int(items.length);
    for (const item of items) each(this, item);
    return this;
  }

  /** the bytes written so far, prefixed with their length: one wire frame (write nothing more after it) */
  frame(): Buffer {
    this.buf.writeInt32BE(this.len - 4, 0);
    return this.buf.subarray(0, this.len);
  }
}

export class JuteReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length)
      throw new RangeError(`jute: record truncated (need ${n} bytes at ${this.pos} of ${this.buf.length})`);
  }

  int(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  long(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  bool(): boolean {
    this.need(1);
    return this.buf[this.pos++] !== 0;
  }

  buffer(): Buffer | null {
    const n = this.int();
    if (n < 0) return null;
    this.need(n);
    const v = Buffer.from(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return v;
  }

  ustring(): string | null {
    const b = this.buffer();
    return b === null ? null : b.toString("utf8");
  }

  vector<T>(each: (r: this) => T): T[] | null {
    const n = this.int();
    if (n < 0) return null;
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(each(this));
    return out;
  }
}

/** Splits a TCP byte stream into length-prefixed frames. */
export class FrameSplitter {
  private inbox: Buffer = Buffer.alloc(0);

  /** `maxFrame`: a longer announced length throws (a server's jute.maxbuffer check) */
  constructor(private readonly maxFrame = Infinity) {}

  /** appends a chunk; returns the frames it completed (bodies without the length prefix) */
  push(chunk: Buffer): Buffer[] {
    this.inbox = this.inbox.length === 0 ? chunk : Buffer.concat([this.inbox, chunk]);
    const frames: Buffer[] = [];
    while (this.inbox.length >= 4) {
      const n = this.inbox.readInt32BE(0);
      if (n < 0) throw new RangeError(`jute: negative frame length ${n}`);
      if (n > this.maxFrame) throw new RangeError(`jute: frame of ${n} bytes exceeds the limit of ${this.maxFrame}`);
      if (this.inbox.length < 4 + n) break;
      frames.push(this.inbox.subarray(4, 4 + n));
      this.inbox = this.inbox.subarray(4 + n);
    }
    return frames;
  }
}
