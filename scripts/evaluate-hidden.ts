/** `npm run evaluate:hidden`: prints recall of hidden diagnoses per scenario and overall. */
import { evaluateHiddenDiagnoses, evaluateSyntheaHidden, formatHiddenReport, formatSyntheaReport } from '../test/evaluate/hidden-diagnosis.ts';

const report = await evaluateHiddenDiagnoses();
console.log(formatHiddenReport(report));
for (const r of report.results) console.log(`  ${r.key}: ${r.earlySigns.join('; ') || '(no early signs)'}`);
console.log('');
console.log(formatSyntheaReport(await evaluateSyntheaHidden()));
