export type { CaseResult, CaseSet, EvaluationCase, EvaluationFigures, EvaluationReport, ItemSummary, ProviderReport } from './types.ts';
export { evaluateCase, codeMatches, rankOf, type CaseRunOptions } from './run-case.ts';
export { summarise, percentile } from './metrics.ts';
export { renderReportHtml, barChartSvg, escapeHtml } from './report-html.ts';
export { parseGold, type GoldFile } from './gold.ts';
export { ResumeState } from './resume.ts';
export { measuredPerformance, isEvaluationReport, type MeasuredPerformance } from './about.ts';
export { summariseAudit, auditEventsFrom, documentedFrom, parseBands, renderMonitorHtml, renderMonitorSection, lineChartSvg, DEFAULT_BANDS } from './monitor.ts';
export type { MonitorSummary, MonitorBands, MonitorAlert, DocumentedDiagnosis, DayPoint, TypeRates } from './monitor.ts';
