/**
 * `npm run check-ehr -- --iss <FHIR base>`: tells an EHR admin, requirement by requirement,
 * whether that EHR supports what Curbside needs, then prints the registration form values.
 * Exit code: 0 ready, 1 blockers found, 2 usage error.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkEhr, type EhrCheckReport, type RequirementStatus } from '../src/admin/check-ehr.ts';
import { epicRegistration, oracleRegistration, v1Scopes, type FormField, type SmartManifest } from '../src/admin/registration-form.ts';

const { values } = parseArgs({
  options: {
    iss: { type: 'string' },
    json: { type: 'boolean', default: false },
    manifest: { type: 'string', default: new URL('../smart-manifest.json', import.meta.url).pathname },
    timeout: { type: 'string', default: '15' },
  },
});

if (!values.iss || !/^https?:\/\//.test(values.iss)) {
  console.error('Usage: npm run check-ehr -- --iss <FHIR base URL>   (e.g. --iss http://localhost:4000/fhir)');
  process.exit(2);
}

const manifest = JSON.parse(readFileSync(values.manifest, 'utf8')) as SmartManifest;
const report = await checkEhr(values.iss, { timeoutMs: Number(values.timeout) * 1000 });
// Exit through exitCode so piped output is flushed completely.
process.exitCode = report.blockers.length ? 1 : 0;

if (values.json) {
  // The fetched documents themselves are large and not the point of the report.
  const { json: _smart, ...smartConfiguration } = report.smartConfiguration;
  const { json: _capability, ...capabilityStatement } = report.capabilityStatement;
  const registration = { epic: epicRegistration(manifest), oracle: oracleRegistration(manifest) };
  console.log(JSON.stringify({ ...report, smartConfiguration, capabilityStatement, registration }, null, 2));
} else {
  printReport(report, manifest);
}

function printFields(title: string, fields: readonly FormField[]): void {
  console.log(`\n${title}`);
  for (const f of fields) console.log(`  ${f.field.padEnd(28)} ${f.value}`);
}

function printReport(r: EhrCheckReport, m: SmartManifest): void {
  const mark: Record<RequirementStatus, string> = { supported: '✔ supported', missing: '✘ missing  ', unknown: '? unknown  ' };
  const capability = r.capabilityStatement.ok
    ? `found${r.fhirVersion ? `, FHIR ${r.fhirVersion}` : ''}${r.software ? `, ${r.software}` : ''}`
    : `not usable — ${r.capabilityStatement.detail}`;
  console.log(`\nCurbside readiness check for ${r.iss}`);
  console.log(`  SMART configuration: ${r.smartConfiguration.ok ? 'found' : `not usable — ${r.smartConfiguration.detail}`}`);
  console.log(`  CapabilityStatement: ${capability}\n`);
  for (const req of r.requirements) {
    console.log(`  ${mark[req.status]}  ${req.label}${req.blocker ? '' : ' (optional)'}`);
    if (req.status !== 'supported') console.log(`               ${req.detail} ${req.impact}`);
  }
  console.log('');
  if (r.blockers.length) {
    console.log(`✘ ${r.blockers.length} blocker(s): Curbside cannot run against this EHR until they are fixed:`);
    for (const b of r.blockers) console.log(`   - ${b.label}: ${b.detail}`);
  } else {
    console.log('✔ No blockers: Curbside can be registered with this EHR.');
  }
  printFields('Epic (App Orchard / Vendor Services registration)', epicRegistration(m));
  printFields('Oracle Health (Code Console registration)', oracleRegistration(m));
  console.log(`\nv1 scope fallback (for EHRs without SMART v2):\n  ${v1Scopes(m.scope)}\n`);
}
