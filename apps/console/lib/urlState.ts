/**
 * View state kept in the URL's query string (the selected tab, the history version), so every
 * view is a link and the browser's back button walks back through it. Each change is a new
 * history entry; the path part of the URL is left alone.
 */
"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";

export function useUrlParams(): [URLSearchParams, (changes: Record<string, string | null>) => void] {
  const search = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const set = useCallback(
    (changes: Record<string, string | null>) => {
      // read the live URL, not the render's copy: two changes in one event must not undo each other
      const next = new URLSearchParams(window.location.search);
      for (const [k, v] of Object.entries(changes)) {
        if (v === null) next.delete(k);
        else next.set(k, v);
      }
      const q = next.toString();
      router.push(q ? `${pathname}?${q}` : pathname, { scroll: false });
    },
    [router, pathname],
  );
  return [new URLSearchParams(search.toString()), set];
}
