/**
 * A field's value as one short line on the Compare screen: `50`, `"postgres://db"`, `[1,2]`,
 * JSON-like for every format so a string and a number that print alike ("10" vs 10) still read
 * differently. Long values are cut, the full text goes in a tooltip.
 */

const MAX = 80;

export function valueText(value: unknown): string {
  if (value === undefined) return "—";
  // what reaches the browser came as JSON (a TOML date as its ISO string), so it prints back as JSON
  return JSON.stringify(value);
}

export function shortValue(value: unknown): { text: string; full: string | undefined } {
  const full = valueText(value);
  if (full.length <= MAX) return { text: full, full: undefined };
  return { text: full.slice(0, MAX - 1) + "…", full };
}
