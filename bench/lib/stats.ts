/** Percentiles, tables and ratios shared by the benchmarks (each prints ours vs the peer). */
export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarize(values: number[]): Summary {
  const s = Float64Array.from(values).sort();
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { n: s.length, p50: at(0.5), p99: at(0.99), max: s[s.length - 1] ?? NaN };
}

export function fmt(v: number, digits = 1): string {
  if (!Number.isFinite(v)) return "-";
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString("en-US") : v.toFixed(digits);
}

/** ours / peer, printed as "x1.23"; for "lower is better" figures a ratio under 1 is a win */
export function ratio(ours: number, peer: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(peer) || peer === 0) return "-";
  return `x${(ours / peer).toFixed(2)}`;
}

/** the three report cells of one measure taken on both systems: ours, the peer's, their ratio */
export function versus(ours: number, peer: number, digits = 1): [string, string, string] {
  return [fmt(ours, digits), fmt(peer, digits), ratio(ours, peer)];
}

/** a GitHub-flavoured Markdown table, readable on a terminal and pasteable into docs */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map(String));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padStart(widths[i] ?? 0)).join(" | ")} |`;
  return [line(headers), `|${widths.map((w) => "-".repeat(w + 1) + ":").join("|")}|`, ...cells.map(line)].join("\n");
}

export function argValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  return value ? value : fallback;
}

export const quick = process.argv.includes("--quick");

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** the same clock in every process on this machine (ms, sub-ms resolution) */
export const now = () => performance.timeOrigin + performance.now();
