// The sandbox EHR's chart shell: a patient list and a sidebar iframe into which Curbside is
// EHR-launched. Patient data is rendered with textContent only.
const list = document.getElementById('patient-list');
const frame = document.getElementById('curbside-frame');
const sidebar = document.getElementById('sidebar');
const sidebarEmpty = document.getElementById('sidebar-empty');
const bannerOption = document.getElementById('opt-banner');
const consentOption = document.getElementById('opt-consent');
const widthOption = document.getElementById('opt-width');

function ageText(birthDate) {
  if (!birthDate) return '';
  const born = new Date(`${birthDate}T00:00:00Z`);
  const now = new Date();
  let years = now.getUTCFullYear() - born.getUTCFullYear();
  const beforeBirthday = now.getUTCMonth() < born.getUTCMonth() || (now.getUTCMonth() === born.getUTCMonth() && now.getUTCDate() < born.getUTCDate());
  if (beforeBirthday) years -= 1;
  return `${years} y`;
}

async function saveSettings(patch) {
  await fetch('/ehr/settings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) });
}

async function openChart(patient, button) {
  for (const b of list.querySelectorAll('button')) b.setAttribute('aria-current', String(b === button));
  document.getElementById('chart-empty').hidden = true;
  document.getElementById('chart-header').hidden = false;
  document.getElementById('chart-name').textContent = patient.name;
  document.getElementById('chart-demographics').textContent = [patient.gender, patient.birthDate && `born ${patient.birthDate}`, patient.deceased ? 'deceased' : ageText(patient.birthDate)]
    .filter(Boolean)
    .join(' · ');
  document.getElementById('chart-scenario').textContent = `${patient.scenario}: ${patient.summary}`;
  const response = await fetch('/ehr/launch', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ patientId: patient.id }),
  });
  if (!response.ok) {
    sidebarEmpty.hidden = false;
    sidebarEmpty.textContent = 'The EHR could not create a launch for this patient.';
    return;
  }
  const { launchUrl } = await response.json();
  sidebarEmpty.hidden = true;
  frame.hidden = false;
  frame.dataset.patient = patient.id;
  frame.src = launchUrl;
}

async function main() {
  const response = await fetch('/ehr/patients');
  const { patients, fhirBase, launchUri } = await response.json();
  const standalone = document.getElementById('standalone');
  standalone.href = `${launchUri}?iss=${encodeURIComponent(fhirBase)}`;
  const settings = await (await fetch('/ehr/settings')).json();
  bannerOption.checked = settings.needPatientBanner;
  consentOption.checked = settings.consent === 'prompt';
  list.replaceChildren();
  for (const patient of patients) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.patientId = patient.id;
    button.append(patient.name);
    const detail = document.createElement('span');
    detail.className = 'detail';
    detail.textContent = [patient.deceased ? 'deceased' : ageText(patient.birthDate), patient.gender, patient.scenario].filter(Boolean).join(' · ');
    button.append(detail);
    button.addEventListener('click', () => void openChart(patient, button));
    item.append(button);
    list.append(item);
  }
}

bannerOption.addEventListener('change', () => void saveSettings({ needPatientBanner: bannerOption.checked }));
consentOption.addEventListener('change', () => void saveSettings({ consent: consentOption.checked ? 'prompt' : 'auto' }));
widthOption.addEventListener('change', () => {
  sidebar.style.width = `${widthOption.value}px`;
});

void main();
