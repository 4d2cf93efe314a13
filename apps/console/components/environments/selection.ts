/**
 * What the user ticked on the Compare screen, and the `environments.promote` input it becomes.
 * A key is taken whole or by some of its fields, never both: the server refuses a key named
 * twice, so ticking the whole key supersedes its field ticks (they are kept, and come back when
 * the whole key is unticked). Fields are identified by their path's JSON, since a path is an
 * array (`["db","pool","max"]`) and display forms differ per format.
 */
import type { FieldPath } from "@conifer/formats";

export interface Selection {
  /** keys (relative to the prefixes) taken whole */
  keys: readonly string[];
  /** per key, the ids (fieldId) of the fields taken */
  fields: Readonly<Record<string, readonly string[]>>;
}

export const EMPTY_SELECTION: Selection = { keys: [], fields: {} };

export function fieldId(path: FieldPath): string {
  return JSON.stringify(path);
}

export function toggleKey(sel: Selection, key: string): Selection {
  const keys = sel.keys.includes(key) ? sel.keys.filter((k) => k !== key) : [...sel.keys, key];
  return { ...sel, keys };
}

export function toggleField(sel: Selection, key: string, path: FieldPath): Selection {
  const id = fieldId(path);
  const current = sel.fields[key] ?? [];
  const next = current.includes(id) ? current.filter((f) => f !== id) : [...current, id];
  const others = Object.entries(sel.fields).filter(([k]) => k !== key);
  return { ...sel, fields: Object.fromEntries(next.length > 0 ? [...others, [key, next]] : others) };
}

export function isKeySelected(sel: Selection, key: string): boolean {
  return sel.keys.includes(key);
}

export function isFieldSelected(sel: Selection, key: string, path: FieldPath): boolean {
  return (sel.fields[key] ?? []).includes(fieldId(path));
}

/** The keys the promote would touch: whole keys plus keys with a field ticked. */
export function selectedKeyCount(sel: Selection): number {
  return new Set([...sel.keys, ...Object.keys(sel.fields)]).size;
}

/** a field path as the tRPC input takes it (mutable, unlike FieldPath) */
type Path = (string | number)[];

export interface PromoteInput {
  from: string;
  to: string;
  keys?: string[];
  fields?: { key: string; paths: Path[] }[];
  keepTargetOverrides?: boolean;
}

/** The promote request; keys taken whole drop their field ticks. */
export function promoteInput(sel: Selection, from: string, to: string, keepTargetOverrides: boolean): PromoteInput {
  const keys = [...sel.keys].sort();
  const fields = Object.entries(sel.fields)
    .filter(([key, ids]) => !sel.keys.includes(key) && ids.length > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, ids]) => ({ key, paths: ids.map((id) => JSON.parse(id) as Path) }));
  return {
    from,
    to,
    ...(keys.length > 0 ? { keys } : {}),
    ...(fields.length > 0 ? { fields } : {}),
    ...(keepTargetOverrides ? { keepTargetOverrides: true } : {}),
  };
}

/** Ticking, for the groups that offer it (null where nothing may be ticked). */
export interface Picker {
  selection: Selection;
  onChange: (next: Selection) => void;
}
