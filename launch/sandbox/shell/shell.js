// The sandbox EHR's chart shell: a patient list, a sidebar iframe into which Curbside is
// EHR-launched, and the notes apps wrote into the open chart. Patient data and note text are
// rendered with textContent only.
const list = document.getElementById('patient-list');
const frame = document.getElementById('curbside-frame');
const sidebar = document.getElementById('sidebar');
const sidebarEmpty = document.getElementById('sidebar-empty');
const bannerOption = document.getElementById('opt-banner');
const consentOption = document.getElementById('opt-consent');
const widthOption = document.getElementById('opt-width');
const writeProfileOption = document.getElementById('opt-write-profile');
const notesSection = document.getElementById('written-notes');
const notesList = document.getElementById('notes-list');
const notesSummary = document.getElementById('notes-summary');
const notesRefresh = document.getElementById('notes-refresh');

const NOTES_REFRESH_MS = 4000;
const PROFILE_NAMES = { standard: 'standard FHIR', epic: 'Epic', oracle: 'Oracle Health' };
let openPatientId;
let notesTimer;
/** The last rendered answer: the list is only rebuilt when it changed, so screen readers are not re-read the same notes. */
let shownNotes = '';

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

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function when(iso) {
  if (!iso) return 'no date';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function labelText(note) {
  if (note.aiLabel === 'present') return 'AI-assisted label: present';
  if (note.aiLabel === 'dropped') return 'AI-assisted label: dropped by this EHR profile';
  return note.profile === 'standard' ? 'AI-assisted label: absent (the app did not send it)' : 'AI-assisted label: absent (not sent; this EHR profile drops it)';
}

function renderProvenance(note, headingId) {
  const wrap = element('div', undefined, 'provenance');
  const heading = element('h4', 'Provenance');
  heading.id = headingId;
  wrap.append(heading);
  if (note.provenance.length === 0) {
    wrap.append(element('p', note.profile === 'standard' ? 'No Provenance was written for this note.' : 'No Provenance (this EHR does not store it).', 'muted'));
    return wrap;
  }
  const list = element('ul');
  list.setAttribute('aria-labelledby', headingId);
  for (const prov of note.provenance) {
    const item = element('li');
    const signed = prov.signatures.map((s) => `signed by ${s.who ?? 'unknown'} at ${when(s.when)}`).join('; ');
    item.append(element('p', `Provenance/${prov.id}: ${signed || 'no signature'}${prov.recorded ? ` (recorded ${when(prov.recorded)})` : ''}`));
    const agents = element('ul');
    for (const agent of prov.agents) {
      const device = agent.device ? ` — model ${agent.device.name ?? 'unnamed'} version ${agent.device.version ?? 'unknown'}` : '';
      agents.append(element('li', `${agent.role ?? 'agent'}: ${agent.who ?? 'unknown'}${device}`));
    }
    item.append(agents);
    list.append(item);
  }
  wrap.append(list);
  return wrap;
}

function renderNote(note) {
  const item = element('li', undefined, 'note');
  const titleId = `note-${note.id}-title`;
  const article = element('article');
  article.setAttribute('aria-labelledby', titleId);
  const title = element('h3', `${note.type ?? 'Untyped note'} · ${when(note.date)} · ${note.docStatus ?? 'no docStatus'}`);
  title.id = titleId;
  article.append(title);

  const facts = element('dl', undefined, 'facts');
  const fact = (term, value) => facts.append(element('dt', term), element('dd', value));
  fact('Author', note.authors.join(', ') || 'none');
  fact('Accepted under', `${PROFILE_NAMES[note.profile] ?? note.profile} write profile`);
  fact('AI-assisted', labelText(note));
  if (note.dropped.length > 0) fact('Dropped by the EHR', note.dropped.join(', '));
  fact('Identifiers', note.identifiers.join(', ') || 'none');
  fact('Stored', `DocumentReference/${note.id} at ${when(note.storedAt)}`);
  article.append(facts);

  article.append(element('h4', `Note text (${note.textSource})`));
  if (note.text !== undefined) {
    const text = element('pre', note.text, 'note-text');
    // Scrollable, so it must be reachable by keyboard.
    text.tabIndex = 0;
    text.setAttribute('aria-label', `Text of ${note.type ?? 'the note'}`);
    article.append(text);
  } else {
    article.append(element('p', 'The text could not be read.', 'muted'));
  }
  article.append(renderProvenance(note, `note-${note.id}-provenance`));
  item.append(article);
  return item;
}

function renderNotes(view) {
  const audits = view.auditEvents.fhir + view.auditEvents.sink;
  notesSummary.textContent =
    `The EHR accepts notes the ${PROFILE_NAMES[view.writeProfile] ?? view.writeProfile} way. ` +
    `AuditEvents for this patient: ${audits} (${view.auditEvents.fhir} in the FHIR store, ${view.auditEvents.sink} in the audit sink).`;
  const fingerprint = JSON.stringify(view.notes);
  if (fingerprint === shownNotes) return;
  shownNotes = fingerprint;
  if (view.notes.length === 0) {
    notesList.replaceChildren(element('li', 'No notes written by apps for this patient yet.', 'muted'));
    return;
  }
  notesList.replaceChildren(...view.notes.map(renderNote));
}

async function refreshNotes() {
  const patientId = openPatientId;
  if (!patientId) return;
  try {
    const response = await fetch(`/ehr/notes?patient=${encodeURIComponent(patientId)}`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const view = await response.json();
    // A chart opened meanwhile owns the section now.
    if (patientId === openPatientId) renderNotes(view);
  } catch (error) {
    if (patientId === openPatientId) notesSummary.textContent = `Could not read the written notes: ${error.message}`;
  }
}

function watchNotes(patientId) {
  openPatientId = patientId;
  shownNotes = '';
  notesList.replaceChildren(element('li', 'Loading…', 'muted'));
  notesSummary.textContent = '';
  notesSection.hidden = false;
  clearInterval(notesTimer);
  notesTimer = setInterval(() => {
    if (document.visibilityState === 'visible') void refreshNotes();
  }, NOTES_REFRESH_MS);
  void refreshNotes();
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
  watchNotes(patient.id);
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
  writeProfileOption.value = settings.writeProfile;
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
writeProfileOption.addEventListener('change', async () => {
  await saveSettings({ writeProfile: writeProfileOption.value });
  void refreshNotes();
});
notesRefresh.addEventListener('click', () => void refreshNotes());
widthOption.addEventListener('change', () => {
  sidebar.style.width = `${widthOption.value}px`;
});

void main();
