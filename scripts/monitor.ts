/**
 * npm run monitor -- <audit export> [--conditions <export>] [--config public/curbside.config.json] [--out <dir>] [--json]
 *
 * Reads AuditEvents Curbside wrote (a JSON array, a FHIR Bundle or NDJSON, from the EHR's
 * AuditEvent search or the audit repository) and reports acceptance and rejection per suggestion,
 * override reasons, unverified items shown, shadow-mode agreement with later documented diagnoses
 * (Conditions in the same export or in --conditions), daily series, and alerts against the bands in
 * the runtime configuration's `monitoring` section. Writes <out>/monitor.html and monitor.json;
 * exits 1 when an alert fires, so a scheduled job can page someone.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { auditEventsFrom, documentedFrom, parseBands, renderMonitorHtml, summariseAudit } from '../src/evaluation/monitor.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    conditions: { type: 'string' },
    config: { type: 'string', default: resolve(import.meta.dirname, '../public/curbside.config.json') },
    out: { type: 'string', default: 'evaluation-results' },
    json: { type: 'boolean', default: false },
  },
});

const file = positionals[0];
if (!file) {
  process.stderr.write('usage: npm run monitor -- <audit export> [--conditions <export>] [--config <file>] [--out <dir>] [--json]\n');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const config = JSON.parse(readFileSync(values.config, 'utf8')) as { monitoring?: unknown };
const summary = summariseAudit(auditEventsFrom(text), {
  bands: parseBands(config.monitoring),
  documented: [...documentedFrom(text), ...(values.conditions ? documentedFrom(readFileSync(values.conditions, 'utf8')) : [])],
});
const out = resolve(values.out);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'monitor.json'), `${JSON.stringify(summary, null, 2)}\n`);
writeFileSync(join(out, 'monitor.html'), renderMonitorHtml(summary));

if (values.json) {
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
} else {
  const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
  const lines = [
    `Period: ${summary.from ?? '—'} to ${summary.to ?? '—'} (${summary.events} audit events)`,
    `Suggestion sets shown: ${summary.sets.shown}; in shadow mode: ${summary.sets.shadow}`,
    `Items shown: ${summary.itemsShown}; accepted ${summary.accepted}, rejected ${summary.rejected} (acceptance ${pct(summary.acceptanceRate)})`,
    `Unverified items shown: ${summary.unverifiedShown} (grounding ${pct(summary.groundingRate)})`,
    `Shadow agreement: ${summary.shadowAgreement.agreed} of ${summary.shadowAgreement.compared} compared sets (${pct(summary.shadowAgreement.rate)})`,
    'Override reasons:',
    ...(summary.overrideReasons.length ? summary.overrideReasons.map((r) => `  ${r.reason}: ${r.count}`) : ['  none']),
    'By suggestion (shown / accepted / rejected):',
    ...summary.byType.slice(0, 20).map((t) => `  ${t.type.padEnd(48)} ${t.shown} / ${t.accepted} / ${t.rejected}`),
    ...(summary.alerts.length ? summary.alerts.map((a) => `ALERT: ${a.message}`) : ['No alerts: acceptance and grounding within their bands.']),
    `Wrote ${join(out, 'monitor.html')} and monitor.json`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
process.exitCode = summary.alerts.length > 0 ? 1 : 0;
