/**
 * View state kept in the URL's query string (the selected tab, the history version, every
 * screen's filters), so every view is a link, a reload keeps it and the browser's back button
 * walks back through it. The path part of the URL is left alone.
 *
 * `useUrlParams` is the plain form: each change is a new history entry (or, asked for, replaces
 * the current one). `useUrlFilter` is for filter boxes a user types into: see there.
 */
"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";

/** "push" adds a history entry (back returns before it); "replace" rewrites the current one. */
export type UrlWrite = "push" | "replace";
export type SetUrlParams = (changes: Record<string, string | null>, how?: UrlWrite) => void;

export function useUrlParams(): [URLSearchParams, SetUrlParams] {
  const search = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const set = useCallback<SetUrlParams>(
    (changes, how = "push") => {
      // read the live URL, not the render's copy: two changes in one event must not undo each other
      const next = new URLSearchParams(window.location.search);
      for (const [k, v] of Object.entries(changes)) {
        if (v === null) next.delete(k);
        else next.set(k, v);
      }
      const q = next.toString();
      const href = q ? `${pathname}?${q}` : pathname;
      if (how === "replace") router.replace(href, { scroll: false });
      else router.push(href, { scroll: false });
    },
    [router, pathname],
  );
  return [new URLSearchParams(search.toString()), set];
}

/** How long typing must pause before the URL (and so the query it drives) follows the box. */
export const TYPING_PAUSE_MS = 300;

export type FilterValues<K extends string> = Record<K, string>;

export interface UrlFilter<K extends string> {
  /** what the URL holds: the filter to apply */
  applied: FilterValues<K>;
  /** what the boxes show: runs ahead of `applied` while the user types */
  form: FilterValues<K>;
  /** a keystroke: the box changes at once, the URL once typing pauses */
  edit(key: K, value: string): void;
  /** Enter, leaving the box, a select or a button: the URL now, and this edit is done */
  commit(changes?: Partial<FilterValues<K>>): void;
}

function pick<K extends string>(params: URLSearchParams, keys: readonly K[]): FilterValues<K> {
  const out = {} as FilterValues<K>;
  for (const k of keys) out[k] = params.get(k) ?? "";
  return out;
}

/** The keys' part of a query string, to tell our own writes from a move by back / forward. */
function keyOf<K extends string>(values: FilterValues<K>, keys: readonly K[]): string {
  return JSON.stringify(keys.map((k) => values[k]));
}

/**
 * Filter fields (`keys`) mirrored in the URL. One edit is one history entry: its first write
 * pushes an entry, later writes while the user keeps typing replace it, and a commit (Enter,
 * blur, a select) ends it, so "back" returns to the filter before the edit, not to each
 * half-typed prefix. The boxes hold their own state and only follow the URL when it moves for
 * another reason (back / forward, a pasted link), so no keystroke is lost to the round trip.
 */
export function useUrlFilter<K extends string>(
  keys: readonly K[],
  /** params a new filter drops, e.g. how many pages were loaded: another filter starts afresh */
  resets: readonly string[] = [],
): UrlFilter<K> {
  const [params, setParams] = useUrlParams();
  const keysRef = useRef(keys);
  const resetsRef = useRef(resets);
  const applied = pick(params, keys);
  const urlKey = keyOf(applied, keys);
  const [form, setForm] = useState(applied);
  const formRef = useRef(form);
  // the URL we wrote last: when the URL arrives there, it is our own write, not a move
  const written = useRef(urlKey);
  // the current edit already has its history entry: further writes replace it
  const inEdit = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (urlKey === written.current) return;
    // back / forward or a link: the boxes follow, and a pending write of the old text is dropped
    clearTimeout(timer.current);
    written.current = urlKey;
    inEdit.current = false;
    const next = pick(new URLSearchParams(window.location.search), keysRef.current);
    formRef.current = next;
    setForm(next);
  }, [urlKey]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const write = useCallback(
    (values: FilterValues<K>, done: boolean) => {
      const ks = keysRef.current;
      const key = keyOf(values, ks);
      // compared with our last write, not window.location: a write may still be on its way
      if (key !== written.current) {
        written.current = key;
        const changes: Record<string, string | null> = Object.fromEntries(resetsRef.current.map((k) => [k, null]));
        for (const k of ks) changes[k] = values[k] || null;
        setParams(changes, inEdit.current ? "replace" : "push");
        inEdit.current = !done;
      } else if (done) inEdit.current = false;
    },
    [setParams],
  );

  const edit = useCallback(
    (key: K, value: string) => {
      const next = { ...formRef.current, [key]: value };
      formRef.current = next;
      setForm(next);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => write(next, false), TYPING_PAUSE_MS);
    },
    [write],
  );

  const commit = useCallback(
    (changes: Partial<FilterValues<K>> = {}) => {
      clearTimeout(timer.current);
      const next = { ...formRef.current, ...changes };
      formRef.current = next;
      setForm(next);
      write(next, true);
    },
    [write],
  );

  return { applied, form, edit, commit };
}
