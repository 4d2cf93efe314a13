/**
 * Draws fan-out p99 against N as an SVG line chart from saved outputs of bench/fanout/run.ts
 * (the printed table is the input, so any past run can be charted):
 *   npx tsx bench/fanout/chart.ts --out docs/fanout-p99.svg before=/tmp/before.txt after=/tmp/after.txt
 * One line per run and system (Conifer SDK, ZooKeeper watch+getData). No dependencies: the
 * chart is plain SVG text so it renders on GitHub and in any browser.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { argValue } from "../lib/stats.ts";

interface Series {
  label: string;
  points: [number, number][];
  dashed: boolean;
}

/** Reads the rows `| N | system | p50 | p99 | ...` of a fan-out table. */
function readRun(label: string, file: string): Series[] {
  const bySystem = new Map<string, [number, number][]>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const n = Number(cells[1]);
    const system = cells[2];
    const p99 = Number((cells[4] ?? "").replace(/,/g, ""));
    if (!Number.isFinite(n) || n <= 0 || !system || system.startsWith("ratio") || !Number.isFinite(p99)) continue;
    bySystem.set(system, [...(bySystem.get(system) ?? []), [n, p99]]);
  }
  return [...bySystem].map(([system, points]) => ({
    label: `${system}, ${label}`,
    points,
    dashed: !system.startsWith("Conifer"),
  }));
}

const COLORS = ["#1b7f5b", "#1b7f5b", "#c2410c", "#c2410c", "#2563eb", "#2563eb"];

function chart(series: Series[], title: string): string {
  const W = 720;
  const H = 420;
  const m = { left: 70, right: 20, top: 40, bottom: 110 };
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const xMax = Math.max(...xs);
  const yMax = Math.ceil(Math.max(...ys) / 250) * 250;
  const x = (v: number) => m.left + (v / xMax) * (W - m.left - m.right);
  const y = (v: number) => H - m.bottom - (v / yMax) * (H - m.top - m.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="600">${title}</text>`,
  ];
  for (let v = 0; v <= yMax; v += yMax / 5) {
    out.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${m.left - 8}" y="${y(v) + 4}" text-anchor="end" fill="#4b5563">${Math.round(v)}</text>`);
  }
  for (const v of [...new Set(xs)].sort((a, b) => a - b))
    out.push(
      `<text x="${x(v)}" y="${H - m.bottom + 18}" text-anchor="middle" fill="#4b5563">${v.toLocaleString("en-US")}</text>`,
    );
  out.push(
    `<text x="${(m.left + W - m.right) / 2}" y="${H - m.bottom + 36}" text-anchor="middle" fill="#111827">watchers (N)</text>`,
  );
  out.push(
    `<text transform="translate(16 ${(m.top + H - m.bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#111827">p99 ms, publish ack to callback</text>`,
  );
  out.push(`<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${H - m.bottom}" stroke="#9ca3af"/>`);
  series.forEach((s, i) => {
    const color = COLORS[Math.floor(i / 2) * 2 + (s.dashed ? 1 : 0)] ?? "#111827";
    const pts = s.points.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(" ");
    out.push(
      `<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`,
    );
    for (const [px, py] of s.points)
      out.push(`<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="3" fill="${color}"/>`);
    const ly = H - m.bottom + 56 + Math.floor(i / 2) * 18;
    const lx = m.left + (i % 2) * 320;
    out.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`,
    );
    out.push(`<text x="${lx + 30}" y="${ly}" fill="#111827">${s.label}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

const runs = process.argv.slice(2).filter((a) => /^[^-][^=]*=/.test(a));
const series = runs.flatMap((r) => {
  const [label, file] = r.split(/=(.*)/s) as [string, string];
  return readRun(label, file);
});
const out = argValue("out", "fanout-p99.svg");
writeFileSync(out, chart(series, argValue("title", "Fan-out p99 latency by number of watchers")));
console.log(`wrote ${out} (${series.length} lines)`);
