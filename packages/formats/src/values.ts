/**
 * Helpers over parsed config values (what parseContent returns): plain objects, arrays,
 * scalars and TOML dates. Shared by the field diff and the field promote so both agree on
 * what "the same value" and "a table" mean.
 */

export type Container = Record<string, unknown> | unknown[];

export function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

export function isContainer(v: unknown): v is Container {
  return Array.isArray(v) || isTable(v);
}

export function hasField(c: Container, seg: string | number): boolean {
  if (Array.isArray(c)) return typeof seg === "number" && seg < c.length;
  return typeof seg === "string" && Object.hasOwn(c, seg);
}

export function fieldOf(c: Container, seg: string | number): unknown {
  if (Array.isArray(c)) return typeof seg === "number" ? c[seg] : undefined;
  return typeof seg === "string" && Object.hasOwn(c, seg) ? c[seg] : undefined;
}

/** An own, enumerable entry even for a key named "__proto__" (a plain assignment would set the prototype). */
export function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Structural equality; dates (TOML) by their text, so local dates and times compare too. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.toISOString() === b.toISOString();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameValue(x, b[i]));
  }
  if (isTable(a) && isTable(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
  }
  return Number.isNaN(a) && Number.isNaN(b);
}

/** A deep copy (new objects and arrays; dates and scalars shared, they are not edited in place). */
export function copyValue<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copyValue) as T;
  if (isTable(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) setOwn(out, k, copyValue(v[k]));
    return out as T;
  }
  return v;
}
