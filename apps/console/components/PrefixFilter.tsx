/**
 * The path-prefix box of the list screens (Instances, Releases, Changes), over one field of a
 * useUrlFilter: typing edits (the URL follows once typing pauses), Enter or leaving the box
 * commits (one history entry per edit), Escape clears.
 */
"use client";
import type { UrlFilter } from "../lib/urlState.ts";

export function PrefixFilter<K extends string>({
  filter,
  field,
  label,
  placeholder = "Prefix, e.g. /payments",
  testId,
}: {
  filter: UrlFilter<K>;
  field: K;
  label: string;
  placeholder?: string;
  testId?: string;
}) {
  const value = filter.form[field];
  return (
    <input
      className="input input-filter"
      type="search"
      placeholder={placeholder}
      value={value}
      onChange={(e) => filter.edit(field, e.target.value)}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          filter.commit();
        } else if (e.key === "Escape" && value) {
          e.preventDefault();
          filter.commit({ [field]: "" } as Partial<Record<K, string>>);
        }
      }}
      onBlur={() => filter.commit()}
      aria-label={label}
      data-testid={testId}
    />
  );
}
