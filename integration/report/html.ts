import type { RunReport } from './run-report.ts';

const esc = (text: unknown) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const W = 640;
const H = 220;
const PAD = { left: 48, right: 12, top: 12, bottom: 44 };

/** A bar chart as inline SVG: one bar per label, with the value and the label under it. */
function barChart(id: string, title: string, bars: Array<{ label: string; value: number; max: number; note?: string }>): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, bars.length);
  const rects = bars
    .map((b, i) => {
      const h = b.max > 0 ? (b.value / b.max) * plotH : 0;
      const x = PAD.left + i * slot + slot * 0.15;
      const y = PAD.top + plotH - h;
      return `<g class="bar"><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${h.toFixed(1)}"><title>${esc(b.label)}: ${esc(b.note ?? b.value)}</title></rect><text x="${(x + slot * 0.35).toFixed(1)}" y="${(H - PAD.bottom + 14).toFixed(1)}" text-anchor="middle" class="label">${esc(b.label)}</text><text x="${(x + slot * 0.35).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" class="value">${esc(b.note ?? b.value)}</text></g>`;
    })
    .join('');
  return `<figure><svg id="${id}" role="img" aria-labelledby="${id}-title" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}"><title id="${id}-title">${esc(title)}</title><line class="axis" x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${W - PAD.right}" y2="${PAD.top + plotH}"/>${rects}</svg><figcaption>${esc(title)}</figcaption></figure>`;
}

/** A line chart as inline SVG. */
function lineChart(id: string, title: string, points: Array<[number, number]>, xLabel: string, yLabel: string): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const maxX = Math.max(1, ...points.map((p) => p[0]));
  const maxY = Math.max(1, ...points.map((p) => p[1]));
  const coords = points.map(([x, y]) => `${(PAD.left + (x / maxX) * plotW).toFixed(1)},${(PAD.top + plotH - (y / maxY) * plotH).toFixed(1)}`).join(' ');
  return `<figure><svg id="${id}" role="img" aria-labelledby="${id}-title" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}"><title id="${id}-title">${esc(title)}</title><line class="axis" x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${W - PAD.right}" y2="${PAD.top + plotH}"/><line class="axis" x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}"/><polyline class="series" points="${coords}"/><text class="label" x="${W / 2}" y="${H - 8}" text-anchor="middle">${esc(xLabel)} (0–${esc(maxX.toFixed(1))})</text><text class="label" x="12" y="${PAD.top + 10}">${esc(yLabel)} (max ${esc(maxY.toFixed(1))})</text></svg><figcaption>${esc(title)}</figcaption></figure>`;
}

/** Latencies in ten equal-width buckets. */
function histogram(values: number[]): Array<{ label: string; value: number; max: number }> {
  if (values.length === 0) return [];
  const max = Math.max(...values);
  const width = Math.max(1, Math.ceil(max / 10));
  const counts = Array.from({ length: 10 }, () => 0);
  for (const v of values) counts[Math.min(9, Math.floor(v / width))]!++;
  const top = Math.max(...counts);
  return counts.map((count, i) => ({ label: `${i * width}–${(i + 1) * width}`, value: count, max: top }));
}

/** Components settled per second, over the run. */
function throughput(report: RunReport): Array<[number, number]> {
  const seconds = Math.max(1, Math.ceil(report.durationMs / 1000));
  const step = seconds <= 60 ? 1 : Math.ceil(seconds / 60);
  const buckets = new Map<number, number>();
  for (const item of report.items) {
    const b = Math.floor(item.finishedAtMs / 1000 / step);
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
  }
  const points: Array<[number, number]> = [];
  for (let b = 0; b * step <= seconds; b++) points.push([b * step, (buckets.get(b) ?? 0) / step]);
  return points;
}

/** The run report as a self-contained page with its charts drawn as inline SVG. */
export function renderRunReportHtml(report: RunReport): string {
  const categories = Object.entries(report.byCategory).sort(([a], [b]) => a.localeCompare(b));
  const successBars = categories.map(([category, row]) => ({
    label: category,
    value: row.planned ? (row.succeeded / row.planned) * 100 : 0,
    max: 100,
    note: `${row.planned ? ((row.succeeded / row.planned) * 100).toFixed(0) : 0}%`,
  }));
  const latencies = report.items.filter((i) => i.calls > 0).map((i) => i.durationMs);
  const rows = (entries: Array<[string, { planned: number; succeeded: number; failed: number; calls: number; promptTokens: number; completionTokens: number }]>) =>
    entries
      .map(([name, r]) => `<tr><th scope="row">${esc(name)}</th><td>${r.planned}</td><td>${r.succeeded}</td><td>${r.failed}</td><td>${r.calls}</td><td>${r.promptTokens}</td><td>${r.completionTokens}</td></tr>`)
      .join('');
  const head = '<thead><tr><th scope="col"></th><th scope="col">planned</th><th scope="col">succeeded</th><th scope="col">failed</th><th scope="col">calls</th><th scope="col">prompt tokens</th><th scope="col">completion tokens</th></tr></thead>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>batchgen run ${esc(report.startedAt)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccd;padding:.25rem .5rem;text-align:right}th[scope=row]{text-align:left}
svg{max-width:100%;height:auto;background:#fafbfc}.bar rect{fill:#2f6db5}.series{fill:none;stroke:#2f6db5;stroke-width:2}.axis{stroke:#667}
.label{font-size:11px;fill:#333}.value{font-size:11px;fill:#111}figure{margin:1rem 0}
</style>
</head>
<body>
<h1>batchgen run report</h1>
<p>Started ${esc(report.startedAt)} with <strong>${esc(report.provider)}</strong> (${esc(report.model)}), ${esc(report.mode)}; ${report.durationMs} ms.
${report.written} written, ${report.unchanged} unchanged, ${report.failed.length} failed, ${report.notRun.length} not run; ${report.calls} calls;
${report.tokens.prompt} prompt tokens (${report.tokens.cached} cached), ${report.tokens.completion} completion tokens.
Concurrency ${report.concurrency.configured} (lowest ${report.concurrency.lowest}); ${report.rateLimited} rate-limited calls.</p>
${report.fatal ? `<p role="alert">Stopped: ${esc(report.fatal)}</p>` : ''}
<h2>Recommendations</h2>
${report.recommendations.length ? `<ul>${report.recommendations.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : '<p>None: the run went as planned.</p>'}
<h2>Charts</h2>
${barChart('chart-success-by-category', 'Success rate by category (%)', successBars)}
${barChart('chart-latency', 'Time per generated component (ms), histogram', histogram(latencies))}
${lineChart('chart-throughput', 'Throughput over time (components per second)', throughput(report), 'seconds since start', 'components/s')}
<h2>By category</h2>
<table>${head}<tbody>${rows(categories)}</tbody></table>
<h2>By component</h2>
<table>${head}<tbody>${rows(Object.entries(report.byComponent))}</tbody></table>
<h2>Failures</h2>
${report.failed.length ? `<table><thead><tr><th scope="col">material</th><th scope="col">component</th><th scope="col">reason</th></tr></thead><tbody>${report.failed.map((f) => `<tr><td>${esc(f.material)}</td><td>${esc(f.component)}</td><td style="text-align:left">${esc(f.reason)}</td></tr>`).join('')}</tbody></table>` : '<p>None.</p>'}
<h2>Files written</h2>
${report.files.length ? `<details><summary>${report.files.length} files</summary><ul>${report.files.map((f) => `<li>${esc(f)}</li>`).join('')}</ul></details>` : '<p>None.</p>'}
</body>
</html>
`;
}
