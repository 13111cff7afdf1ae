/**
 * The evaluation report as one static HTML page with inline SVG charts: no script, no external
 * file, so it can be mailed or archived beside the JSON. Every value from a case or a model is
 * escaped; condition names come from the model and are untrusted.
 */
import type { CaseResult, EvaluationFigures, EvaluationReport, ProviderReport } from './types.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const pct = (value: number | null): string => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);
const COLOURS = ['#1f5fa8', '#b35900', '#1e7a3c', '#7b3fa0', '#9a1c1c'];

/** Grouped horizontal bars: one group per measure, one bar per provider, values 0–1. */
export function barChartSvg(title: string, measures: ReadonlyArray<{ label: string; values: ReadonlyArray<number | null> }>, series: readonly string[]): string {
  const rowHeight = 14;
  const groupGap = 10;
  const labelWidth = 170;
  const barWidth = 320;
  const groupHeight = series.length * rowHeight + groupGap;
  const legendHeight = 18 * series.length;
  const height = measures.length * groupHeight + legendHeight + 30;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" width="${labelWidth + barWidth + 70}" height="${height}" font-family="system-ui, sans-serif" font-size="11">`];
  parts.push(`<title>${escapeHtml(title)}</title>`);
  measures.forEach((measure, m) => {
    const y0 = 10 + m * groupHeight;
    parts.push(`<text x="0" y="${y0 + (series.length * rowHeight) / 2 + 4}">${escapeHtml(measure.label)}</text>`);
    measure.values.forEach((value, s) => {
      const y = y0 + s * rowHeight;
      const w = value === null ? 0 : Math.max(0, Math.min(1, value)) * barWidth;
      parts.push(`<rect x="${labelWidth}" y="${y}" width="${barWidth}" height="${rowHeight - 3}" fill="#eef2f6"/>`);
      parts.push(`<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${rowHeight - 3}" fill="${COLOURS[s % COLOURS.length]}"/>`);
      parts.push(`<text x="${labelWidth + barWidth + 6}" y="${y + rowHeight - 4}">${pct(value)}</text>`);
    });
  });
  const legendY = 20 + measures.length * groupHeight;
  series.forEach((name, s) => {
    parts.push(`<rect x="${labelWidth}" y="${legendY + s * 18}" width="10" height="10" fill="${COLOURS[s % COLOURS.length]}"/>`);
    parts.push(`<text x="${labelWidth + 16}" y="${legendY + s * 18 + 9}">${escapeHtml(name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

function figuresRows(report: EvaluationReport): string {
  const row = (label: string, pick: (f: EvaluationFigures) => string): string =>
    `<tr><th scope="row">${escapeHtml(label)}</th>${report.providers.map((p) => `<td>${escapeHtml(pick(p.figures))}</td>`).join('')}</tr>`;
  return [
    row('Cases (scored for accuracy)', (f) => `${f.cases} (${f.scoredCases})`),
    row('Top-1 accuracy', (f) => pct(f.top1)),
    row('Top-3 accuracy', (f) => pct(f.top3)),
    row('Top-10 accuracy', (f) => pct(f.top10)),
    row("Can't-miss recall", (f) => `${pct(f.cantMissRecall)} of ${f.cantMissCases}`),
    row('Grounding rate (findings on real chart facts)', (f) => pct(f.groundingRate)),
    row('Unverified-citation rate', (f) => pct(f.unverifiedCitationRate)),
    row('Schema-failure rate', (f) => pct(f.schemaFailureRate)),
    row('Any-error rate', (f) => pct(f.errorRate)),
    row('Latency p50 / p95', (f) => `${Math.round(f.latencyMs.p50)} ms / ${Math.round(f.latencyMs.p95)} ms`),
    row('Tokens sent per case (mean) / total', (f) => `${f.tokensSent.mean} / ${f.tokensSent.total}`),
  ].join('');
}

function caseRows(provider: ProviderReport): string {
  const rank = (r: CaseResult): string => (r.expected.length === 0 ? 'not scored' : r.rank >= 0 ? `#${r.rank + 1}` : 'missed');
  return provider.cases
    .map(
      (r) => `<tr>
  <td>${escapeHtml(r.caseId)}</td><td>${escapeHtml(r.label)}</td><td>${escapeHtml(rank(r))}</td>
  <td>${r.cantMissCaught === undefined ? '—' : r.cantMissCaught ? 'caught' : 'missed'}</td>
  <td>${r.groundedFindings}/${r.findings}</td><td>${r.unverifiedCitations}/${r.citations}</td>
  <td>${Math.round(r.latencyMs)} ms</td><td>${r.tokensSent}</td>
  <td>${r.error ? escapeHtml(`${r.error.kind}: ${r.error.message}`) : escapeHtml(r.top.slice(0, 3).map((t) => t.condition).join('; '))}</td>
</tr>`,
    )
    .join('\n');
}

export function renderReportHtml(report: EvaluationReport): string {
  const names = report.providers.map((p) => `${p.key} (${p.identity.name} ${p.identity.version})`);
  const accuracy = barChartSvg(
    'Accuracy by provider',
    [
      { label: 'Top-1', values: report.providers.map((p) => p.figures.top1) },
      { label: 'Top-3', values: report.providers.map((p) => p.figures.top3) },
      { label: 'Top-10', values: report.providers.map((p) => p.figures.top10) },
      { label: "Can't-miss recall", values: report.providers.map((p) => p.figures.cantMissRecall) },
    ],
    names,
  );
  const safety = barChartSvg(
    'Grounding and failures by provider',
    [
      { label: 'Grounding rate', values: report.providers.map((p) => p.figures.groundingRate) },
      { label: 'Unverified citations', values: report.providers.map((p) => p.figures.unverifiedCitationRate) },
      { label: 'Schema failures', values: report.providers.map((p) => p.figures.schemaFailureRate) },
    ],
    names,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Curbside evaluation — ${escapeHtml(report.caseSet.name)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem; color: #1d2733; max-width: 70rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #d5dbe1; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: #eef2f6; }
figure { margin: 1rem 0; }
</style>
</head>
<body>
<h1>Curbside evaluation</h1>
<p>Case set <strong>${escapeHtml(report.caseSet.name)}</strong> (${report.caseSet.cases} cases): ${escapeHtml(report.caseSet.description)}. Run finished ${escapeHtml(report.generatedAt)}.</p>
<p>Each case went through the production pipeline: chart read over FHIR, de-identified case, the provider, schema validation and grounding. These are measurements on this case set only, not a clinical validation.</p>
<table>
<thead><tr><th scope="col">Measure</th>${names.map((n) => `<th scope="col">${escapeHtml(n)}</th>`).join('')}</tr></thead>
<tbody>${figuresRows(report)}</tbody>
</table>
<figure>${accuracy}<figcaption>Accuracy: the expected diagnosis within the top 1, 3 and 10 items; can't-miss diagnoses within the top 10.</figcaption></figure>
<figure>${safety}<figcaption>Grounding: findings whose cited facts exist in the chart. Unverified citations: no DOI, PMID or web address.</figcaption></figure>
${report.providers
  .map(
    (p) => `<h2>Per case — ${escapeHtml(p.key)}</h2>
<table>
<thead><tr><th>Case</th><th>Label</th><th>Expected at</th><th>Can't-miss</th><th>Grounded findings</th><th>Unverified citations</th><th>Latency</th><th>Tokens sent</th><th>Top 3 / error</th></tr></thead>
<tbody>
${caseRows(p)}
</tbody>
</table>`,
  )
  .join('\n')}
</body>
</html>
`;
}
