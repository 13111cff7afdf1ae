/**
 * Monitoring a deployment from its audit trail: how often each suggestion is accepted or
 * rejected and why, how many unverified items were put in front of clinicians, and — for shadow
 * mode — how often the hidden suggestions named what the clinician went on to document. Daily
 * series and an alert when acceptance or grounding leaves the band the hospital set.
 */
import type { AuditEvent, Bundle } from 'fhir/r4';
import { escapeHtml } from './report-html.ts';

const SUBTYPE_SYSTEM = 'urn:curbside:audit-action';

/** What the hospital considers normal; outside it, an alert. Rates are 0–1. */
export interface MonitorBands {
  readonly acceptance: readonly [number, number];
  /** Share of shown items whose every finding was grounded in the chart. */
  readonly grounding: readonly [number, number];
  /** Days at the end of the period the alert looks at. */
  readonly windowDays: number;
}

export const DEFAULT_BANDS: MonitorBands = { acceptance: [0.2, 0.9], grounding: [0.95, 1], windowDays: 7 };

/** A diagnosis a clinician documented (a Condition), for shadow-mode agreement. */
export interface DocumentedDiagnosis {
  readonly patientId: string;
  readonly code: string;
  /** ISO date or instant it was recorded. */
  readonly recorded: string;
}

export interface TypeRates {
  /** `system|code` of the suggestion, or `uncoded`. */
  readonly type: string;
  readonly shown: number;
  readonly accepted: number;
  readonly rejected: number;
}

export interface DayPoint {
  readonly day: string;
  readonly shown: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly unverified: number;
  /** Decided items accepted; null without decisions. */
  readonly acceptance: number | null;
  /** Shown items fully grounded; null without items shown. */
  readonly grounding: number | null;
}

export interface MonitorAlert {
  readonly measure: 'acceptance' | 'grounding';
  readonly value: number;
  readonly band: readonly [number, number];
  readonly message: string;
}

export interface MonitorSummary {
  readonly from?: string;
  readonly to?: string;
  readonly events: number;
  readonly sets: { readonly shown: number; readonly shadow: number };
  readonly itemsShown: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly acceptanceRate: number | null;
  readonly rejectionRate: number | null;
  readonly unverifiedShown: number;
  readonly groundingRate: number | null;
  readonly byType: readonly TypeRates[];
  readonly overrideReasons: ReadonlyArray<{ readonly reason: string; readonly count: number }>;
  /** Shadow sets with a suggestion the clinician later documented, of shadow sets with anything documented afterwards to compare. */
  readonly shadowAgreement: { readonly sets: number; readonly compared: number; readonly agreed: number; readonly rate: number | null };
  readonly days: readonly DayPoint[];
  readonly alerts: readonly MonitorAlert[];
  readonly bands: MonitorBands;
}

function subtype(event: AuditEvent): string | undefined {
  return event.subtype?.find((c) => c.system === SUBTYPE_SYSTEM)?.code;
}

function details(event: AuditEvent): Array<[string, string]> {
  return (event.entity ?? []).flatMap((e) => (e.detail ?? []).map((d): [string, string] => [d.type, d.valueString ?? '']));
}

function insightId(event: AuditEvent): string | undefined {
  return event.entity?.find((e) => e.what?.identifier?.system === 'urn:curbside:insight')?.what?.identifier?.value;
}

function patientOf(event: AuditEvent): string | undefined {
  const reference = event.entity?.map((e) => e.what?.reference).find((r) => r?.includes('Patient/'));
  return reference?.slice(reference.lastIndexOf('Patient/') + 'Patient/'.length);
}

/** AuditEvents from an export: a JSON array, a FHIR Bundle, NDJSON, or one event. Anything else is skipped. */
export function auditEventsFrom(text: string): AuditEvent[] {
  const trimmed = text.trim();
  let values: unknown[];
  try {
    const json = JSON.parse(trimmed) as unknown;
    values = Array.isArray(json) ? json : (json as Bundle).resourceType === 'Bundle' ? ((json as Bundle).entry ?? []).map((e) => e.resource) : [json];
  } catch {
    values = trimmed
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as unknown);
  }
  return values.filter((v): v is AuditEvent => typeof v === 'object' && v !== null && (v as AuditEvent).resourceType === 'AuditEvent');
}

/** Reads the optional `monitoring` section of the runtime configuration; defaults for what it leaves out. */
export function parseBands(raw: unknown): MonitorBands {
  const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const band = (value: unknown, fallback: readonly [number, number], name: string): readonly [number, number] => {
    if (value === undefined) return fallback;
    if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && v >= 0 && v <= 1) || value[0] > value[1]) {
      throw new Error(`monitoring.${name} must be [low, high] with 0 ≤ low ≤ high ≤ 1.`);
    }
    return [value[0] as number, value[1] as number];
  };
  const windowDays = entry.windowDays === undefined ? DEFAULT_BANDS.windowDays : Number(entry.windowDays);
  if (!Number.isInteger(windowDays) || windowDays < 1) throw new Error('monitoring.windowDays must be a whole number of days.');
  return { acceptance: band(entry.acceptanceBand, DEFAULT_BANDS.acceptance, 'acceptanceBand'), grounding: band(entry.groundingBand, DEFAULT_BANDS.grounding, 'groundingBand'), windowDays };
}

const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export function summariseAudit(events: readonly AuditEvent[], options: { bands?: MonitorBands; documented?: readonly DocumentedDiagnosis[] } = {}): MonitorSummary {
  const bands = options.bands ?? DEFAULT_BANDS;
  const sorted = [...events].filter((e) => e.recorded).sort((a, b) => a.recorded.localeCompare(b.recorded));
  /** insightId → itemId → codes, from the shown and shadow sets. */
  const itemCodes = new Map<string, Map<string, string[]>>();
  const typeRates = new Map<string, { shown: number; accepted: number; rejected: number }>();
  const dayMap = new Map<string, { shown: number; accepted: number; rejected: number; unverified: number }>();
  const reasons = new Map<string, number>();
  const day = (event: AuditEvent) => {
    const key = event.recorded.slice(0, 10);
    if (!dayMap.has(key)) dayMap.set(key, { shown: 0, accepted: 0, rejected: 0, unverified: 0 });
    return dayMap.get(key)!;
  };
  const typeOf = (insight: string | undefined, item: string | undefined): string => (insight && item && itemCodes.get(insight)?.get(item)?.[0]) || 'uncoded';
  const rates = (type: string) => {
    if (!typeRates.has(type)) typeRates.set(type, { shown: 0, accepted: 0, rejected: 0 });
    return typeRates.get(type)!;
  };
  let shownSets = 0;
  let itemsShown = 0;
  let accepted = 0;
  let rejected = 0;
  let unverifiedShown = 0;
  const shadowSets: Array<{ patientId: string | undefined; recorded: string; codes: string[] }> = [];

  for (const event of sorted) {
    const kind = subtype(event);
    const id = insightId(event);
    const pairs = details(event);
    if (kind === 'suggestions-shown' || kind === 'suggestions-shadow') {
      const codes = new Map<string, string[]>();
      for (const [type, value] of pairs) {
        if (type === 'itemId' && !codes.has(value)) codes.set(value, []);
        if (type === 'itemCode') {
          const [item, ...code] = value.split('|');
          codes.set(item!, [...(codes.get(item!) ?? []), code.join('|')]);
        }
      }
      if (id) itemCodes.set(id, codes);
      if (kind === 'suggestions-shadow') {
        shadowSets.push({ patientId: patientOf(event), recorded: event.recorded, codes: [...codes.values()].flat().map((c) => c.split('|').pop()!) });
        continue;
      }
      shownSets += 1;
      const unverified = pairs.filter(([type]) => type === 'itemUnverified').length;
      itemsShown += codes.size;
      unverifiedShown += unverified;
      day(event).shown += codes.size;
      day(event).unverified += unverified;
      for (const item of codes.keys()) rates(typeOf(id, item)).shown += 1;
    } else if (kind === 'suggestion-accepted' || kind === 'suggestion-rejected') {
      const item = pairs.find(([type]) => type === 'itemId')?.[1];
      const type = typeOf(id, item);
      if (kind === 'suggestion-accepted') {
        accepted += 1;
        rates(type).accepted += 1;
        day(event).accepted += 1;
      } else {
        rejected += 1;
        rates(type).rejected += 1;
        day(event).rejected += 1;
        const reason = pairs.find(([t]) => t === 'overrideReason.display')?.[1] ?? pairs.find(([t]) => t === 'overrideReason.code')?.[1] ?? 'no reason given';
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
  }

  // Shadow agreement: did a hidden set name a diagnosis documented for that patient from that day on?
  let compared = 0;
  let agreed = 0;
  for (const set of shadowSets) {
    const later = (options.documented ?? []).filter((d) => d.patientId === set.patientId && d.recorded.slice(0, 10) >= set.recorded.slice(0, 10));
    if (later.length === 0) continue;
    compared += 1;
    if (later.some((d) => set.codes.includes(d.code))) agreed += 1;
  }

  const days: DayPoint[] = [...dayMap.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, d]) => ({ day: key, ...d, acceptance: rate(d.accepted, d.accepted + d.rejected), grounding: rate(d.shown - d.unverified, d.shown) }));

  const alerts: MonitorAlert[] = [];
  const last = days.at(-1)?.day;
  if (last) {
    const since = new Date(Date.parse(`${last}T00:00:00Z`) - (bands.windowDays - 1) * 86_400_000).toISOString().slice(0, 10);
    const window = days.filter((d) => d.day >= since);
    const sum = (pick: (d: DayPoint) => number): number => window.reduce((total, d) => total + pick(d), 0);
    const windowAcceptance = rate(sum((d) => d.accepted), sum((d) => d.accepted + d.rejected));
    const windowGrounding = rate(sum((d) => d.shown - d.unverified), sum((d) => d.shown));
    const check = (measure: MonitorAlert['measure'], value: number | null, band: readonly [number, number]): void => {
      if (value === null || (value >= band[0] && value <= band[1])) return;
      const words = measure === 'acceptance' ? 'Acceptance of suggestions' : 'Grounding of shown suggestions';
      alerts.push({ measure, value, band, message: `${words} over the last ${bands.windowDays} days is ${(value * 100).toFixed(1)}%, outside the band ${band[0] * 100}–${band[1] * 100}%.` });
    };
    check('acceptance', windowAcceptance, bands.acceptance);
    check('grounding', windowGrounding, bands.grounding);
  }

  return {
    ...(sorted[0] ? { from: sorted[0].recorded } : {}),
    ...(sorted.at(-1) ? { to: sorted.at(-1)!.recorded } : {}),
    events: sorted.length,
    sets: { shown: shownSets, shadow: shadowSets.length },
    itemsShown,
    accepted,
    rejected,
    acceptanceRate: rate(accepted, accepted + rejected),
    rejectionRate: rate(rejected, accepted + rejected),
    unverifiedShown,
    groundingRate: rate(itemsShown - unverifiedShown, itemsShown),
    byType: [...typeRates.entries()].map(([type, r]) => ({ type, ...r })).sort((a, b) => b.shown - a.shown || a.type.localeCompare(b.type)),
    overrideReasons: [...reasons.entries()].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
    shadowAgreement: { sets: shadowSets.length, compared, agreed, rate: rate(agreed, compared) },
    days,
    alerts,
    bands,
  };
}

/** A line chart of daily rates (0–1) with the band shaded. */
export function lineChartSvg(title: string, points: ReadonlyArray<{ day: string; value: number | null }>, band?: readonly [number, number]): string {
  const width = 520;
  const height = 160;
  const left = 40;
  const top = 10;
  const plotW = width - left - 10;
  const plotH = height - top - 30;
  const x = (i: number): number => left + (points.length <= 1 ? plotW / 2 : (i / (points.length - 1)) * plotW);
  const y = (v: number): number => top + (1 - v) * plotH;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="10">`, `<title>${escapeHtml(title)}</title>`];
  parts.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="#f7f9fb" stroke="#d5dbe1"/>`);
  if (band) parts.push(`<rect x="${left}" y="${y(band[1]).toFixed(1)}" width="${plotW}" height="${(y(band[0]) - y(band[1])).toFixed(1)}" fill="#1e7a3c" fill-opacity="0.12"/>`);
  for (const v of [0, 0.5, 1]) parts.push(`<text x="4" y="${y(v) + 3}">${v * 100}%</text>`);
  const drawn = points.map((p, i) => (p.value === null ? undefined : `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`)).filter(Boolean);
  if (drawn.length > 1) parts.push(`<polyline points="${drawn.join(' ')}" fill="none" stroke="#1f5fa8" stroke-width="2"/>`);
  points.forEach((p, i) => {
    if (p.value !== null) parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3" fill="#1f5fa8"><title>${escapeHtml(p.day)}: ${(p.value * 100).toFixed(1)}%</title></circle>`);
  });
  if (points[0]) parts.push(`<text x="${left}" y="${height - 8}">${escapeHtml(points[0].day)}</text>`);
  if (points.length > 1) parts.push(`<text x="${left + plotW}" y="${height - 8}" text-anchor="end">${escapeHtml(points.at(-1)!.day)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

const pct = (value: number | null): string => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);

/** The monitoring page body (no `<html>` wrapper), for the CLI's report and the sandbox's page. */
export function renderMonitorSection(summary: MonitorSummary): string {
  const alerts = summary.alerts.length
    ? `<div role="alert" class="alert"><strong>Alert.</strong><ul>${summary.alerts.map((a) => `<li>${escapeHtml(a.message)}</li>`).join('')}</ul></div>`
    : `<p class="ok">Acceptance and grounding are within their bands (acceptance ${summary.bands.acceptance.map((v) => v * 100).join('–')}%, grounding ${summary.bands.grounding.map((v) => v * 100).join('–')}%).</p>`;
  return `${alerts}
<table>
<tbody>
<tr><th scope="row">Period</th><td>${escapeHtml(summary.from ?? '—')} to ${escapeHtml(summary.to ?? '—')} (${summary.events} audit events)</td></tr>
<tr><th scope="row">Suggestion sets shown / in shadow mode</th><td>${summary.sets.shown} / ${summary.sets.shadow}</td></tr>
<tr><th scope="row">Items shown</th><td>${summary.itemsShown}</td></tr>
<tr><th scope="row">Accepted / rejected</th><td>${summary.accepted} / ${summary.rejected} (acceptance ${pct(summary.acceptanceRate)}, rejection ${pct(summary.rejectionRate)})</td></tr>
<tr><th scope="row">Unverified items shown</th><td>${summary.unverifiedShown} (grounding ${pct(summary.groundingRate)})</td></tr>
<tr><th scope="row">Shadow agreement with what was documented later</th><td>${summary.shadowAgreement.agreed} of ${summary.shadowAgreement.compared} compared sets (${pct(summary.shadowAgreement.rate)}); ${summary.shadowAgreement.sets} shadow sets in all</td></tr>
</tbody>
</table>
<figure>${lineChartSvg('Daily acceptance rate', summary.days.map((d) => ({ day: d.day, value: d.acceptance })), summary.bands.acceptance)}<figcaption>Acceptance per day (accepted of decided); the band is shaded.</figcaption></figure>
<figure>${lineChartSvg('Daily grounding rate', summary.days.map((d) => ({ day: d.day, value: d.grounding })), summary.bands.grounding)}<figcaption>Shown items whose findings were all found in the chart, per day.</figcaption></figure>
<h2>By suggestion</h2>
<table>
<thead><tr><th scope="col">Suggestion (code)</th><th scope="col">Shown</th><th scope="col">Accepted</th><th scope="col">Rejected</th><th scope="col">Acceptance</th></tr></thead>
<tbody>${summary.byType.map((t) => `<tr><td>${escapeHtml(t.type)}</td><td>${t.shown}</td><td>${t.accepted}</td><td>${t.rejected}</td><td>${pct(rate(t.accepted, t.accepted + t.rejected))}</td></tr>`).join('')}</tbody>
</table>
<h2>Override reasons</h2>
${summary.overrideReasons.length ? `<ul>${summary.overrideReasons.map((r) => `<li>${escapeHtml(r.reason)}: ${r.count}</li>`).join('')}</ul>` : '<p>No rejections recorded.</p>'}`;
}

export function renderMonitorHtml(summary: MonitorSummary, title = 'Curbside monitoring'): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem; color: #1d2733; max-width: 60rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #d5dbe1; padding: 0.3rem 0.5rem; text-align: left; }
.alert { border-left: 4px solid #b3261e; background: #fbeceb; padding: 0.5rem 1rem; }
.ok { border-left: 4px solid #1e7a3c; padding: 0.25rem 1rem; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${renderMonitorSection(summary)}
</body>
</html>
`;
}

/** Diagnoses documented in Conditions (an export: array, Bundle or NDJSON), for shadow agreement. */
export function documentedFrom(text: string): DocumentedDiagnosis[] {
  const trimmed = text.trim();
  let values: unknown[];
  try {
    const json = JSON.parse(trimmed) as unknown;
    values = Array.isArray(json) ? json : (json as Bundle).resourceType === 'Bundle' ? ((json as Bundle).entry ?? []).map((e) => e.resource) : [json];
  } catch {
    values = trimmed
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as unknown);
  }
  return values.flatMap((value) => {
    const condition = value as { resourceType?: string; subject?: { reference?: string }; code?: { coding?: Array<{ code?: string }> }; recordedDate?: string; onsetDateTime?: string; meta?: { lastUpdated?: string } };
    const reference = condition?.subject?.reference;
    const recorded = condition?.recordedDate ?? condition?.meta?.lastUpdated ?? condition?.onsetDateTime;
    if (condition?.resourceType !== 'Condition' || !reference?.includes('Patient/') || !recorded) return [];
    const patientId = reference.slice(reference.lastIndexOf('Patient/') + 'Patient/'.length);
    return (condition.code?.coding ?? []).filter((c) => c.code).map((c) => ({ patientId, code: c.code!, recorded }));
  });
}
