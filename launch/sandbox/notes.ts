/**
 * The EHR shell's view of notes apps wrote into a chart: what the EHR actually kept of each note
 * (after its write profile had its way), its Provenance, and how many AuditEvents name the
 * patient. Read straight from the store, as the EHR reads its own data.
 */
import type { AuditEvent, Binary, Device, DocumentReference, Provenance } from 'fhir/r4';
import type { AuditSink } from './audit-sink.ts';
import type { FhirServer } from './fhir/index.ts';
import type { WriteProfile, WriteProfiles } from './write-profiles.ts';

const AIAST = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'AIAST' };

export interface WrittenNoteProvenance {
  readonly id: string;
  readonly recorded?: string;
  readonly signatures: ReadonlyArray<{ readonly who?: string; readonly when?: string }>;
  readonly agents: ReadonlyArray<{ readonly role?: string; readonly who?: string; readonly device?: { readonly name?: string; readonly version?: string } }>;
}

export interface WrittenNote {
  readonly id: string;
  readonly type?: string;
  readonly date?: string;
  readonly status?: string;
  readonly docStatus?: string;
  readonly authors: readonly string[];
  readonly encounter?: string;
  /** `dropped`: the client sent the label and this EHR's profile discarded it. */
  readonly aiLabel: 'present' | 'dropped' | 'absent';
  /** The profile the note was accepted under, and what it discarded. */
  readonly profile: WriteProfile;
  readonly dropped: readonly string[];
  readonly identifiers: readonly string[];
  readonly text?: string;
  /** Where `text` came from: `inline text/plain`, `Binary/abc (text/html)`, or why there is none. */
  readonly textSource: string;
  readonly provenance: readonly WrittenNoteProvenance[];
  readonly storedAt?: string;
}

export interface WrittenNotes {
  readonly patient: string;
  /** The write profile the EHR is using now. */
  readonly writeProfile: WriteProfile;
  readonly notes: readonly WrittenNote[];
  readonly auditEvents: { readonly fhir: number; readonly sink: number };
}

export interface WrittenNotesSources {
  readonly fhir: FhirServer;
  readonly fhirBase: string;
  readonly writeProfiles: WriteProfiles;
  readonly auditSink: AuditSink;
  readonly writeProfile: WriteProfile;
  /** ISO instant the cohort finished loading: notes stored after it were written by apps. */
  readonly since: string;
}

function decode(data: string | undefined): string | undefined {
  return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** The text of an HTML rendition: its <pre> when it has one, else the markup without tags; entities decoded. */
function htmlToText(html: string): string {
  const pre = /<pre[^>]*>([\s\S]*?)<\/pre>/i.exec(html)?.[1];
  const markup = pre ?? html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, '').replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>/gi, '\n');
  return markup
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
}

function referenceText(ref: { reference?: string; display?: string } | undefined): string | undefined {
  if (!ref) return undefined;
  if (ref.display && ref.reference) return `${ref.display} (${ref.reference})`;
  return ref.display ?? ref.reference;
}

export async function writtenNotes(patientId: string, sources: WrittenNotesSources): Promise<WrittenNotes> {
  const { fhir, fhirBase, writeProfiles, auditSink } = sources;
  const relative = (url: string): string => (url.startsWith(`${fhirBase}/`) ? url.slice(fhirBase.length + 1) : url);

  const noteText = async (doc: DocumentReference): Promise<{ text?: string; textSource: string }> => {
    const attachments = (doc.content ?? []).map((c) => c.attachment);
    const plain = attachments.find((a) => /^text\/plain\b/i.test(a.contentType ?? '') && a.data);
    if (plain) return { text: decode(plain.data) ?? '', textSource: 'inline text/plain' };
    // Renditions stored as Binary: plain text first, then HTML; RTF is not decoded here.
    const ranked = attachments
      .filter((a) => a.url && /^text\/(plain|html)\b/i.test(a.contentType ?? ''))
      .sort((a, b) => Number(/html/i.test(a.contentType ?? '')) - Number(/html/i.test(b.contentType ?? '')));
    for (const attachment of ranked) {
      const ref = relative(attachment.url ?? '');
      if (!ref.startsWith('Binary/')) continue;
      const binary = await fhir.readUnchecked<Binary>('Binary', ref.slice('Binary/'.length));
      const body = decode(binary?.data);
      if (body === undefined) continue;
      return { text: /html/i.test(attachment.contentType ?? '') ? htmlToText(body) : body, textSource: `${ref} (${attachment.contentType})` };
    }
    return { textSource: attachments.length > 0 ? 'no readable text/plain or text/html attachment' : 'no content' };
  };

  const provenanceOf = async (docId: string): Promise<WrittenNoteProvenance[]> => {
    const found = await fhir.searchUnchecked<Provenance>('Provenance', `target=DocumentReference/${docId}`);
    return Promise.all(
      found.map(async (prov) => ({
        id: prov.id ?? '',
        ...(prov.recorded ? { recorded: prov.recorded } : {}),
        signatures: (prov.signature ?? []).map((s) => ({ who: referenceText(s.who), when: s.when })),
        agents: await Promise.all(
          prov.agent.map(async (agent) => {
            const ref = relative(agent.who.reference ?? '');
            const device = ref.startsWith('Device/') ? await fhir.readUnchecked<Device>('Device', ref.slice('Device/'.length)) : undefined;
            return {
              role: agent.type?.coding?.[0]?.display ?? agent.type?.coding?.[0]?.code ?? agent.type?.text,
              who: referenceText(agent.who),
              ...(device ? { device: { name: device.deviceName?.[0]?.name, version: device.version?.[0]?.value } } : {}),
            };
          }),
        ),
      })),
    );
  };

  const docs = (await fhir.searchUnchecked<DocumentReference>('DocumentReference', `subject=Patient/${patientId}`))
    .filter((doc) => (doc.meta?.lastUpdated ?? '') >= sources.since)
    .sort((a, b) => (b.meta?.lastUpdated ?? '').localeCompare(a.meta?.lastUpdated ?? ''));

  const notes = await Promise.all(
    docs.map(async (doc): Promise<WrittenNote> => {
      const id = doc.id ?? '';
      const vendor = writeProfiles.vendorWrite(id);
      const labelled = (doc.meta?.security ?? []).some((c) => c.system === AIAST.system && c.code === AIAST.code);
      const type = doc.type?.text ?? doc.type?.coding?.find((c) => c.display)?.display ?? doc.type?.coding?.[0]?.code;
      const encounter = doc.context?.encounter?.[0]?.reference;
      return {
        id,
        ...(type ? { type } : {}),
        ...(doc.date ? { date: doc.date } : {}),
        status: doc.status,
        ...(doc.docStatus ? { docStatus: doc.docStatus } : {}),
        authors: (doc.author ?? []).map((a) => referenceText(a) ?? '(no reference)'),
        ...(encounter ? { encounter } : {}),
        aiLabel: labelled ? 'present' : vendor?.dropped.includes('meta.security') ? 'dropped' : 'absent',
        profile: vendor?.profile ?? 'standard',
        dropped: vendor?.dropped ?? [],
        identifiers: (doc.identifier ?? []).map((i) => `${i.system ?? ''}|${i.value ?? ''}`),
        ...(await noteText(doc)),
        provenance: await provenanceOf(id),
        ...(doc.meta?.lastUpdated ? { storedAt: doc.meta.lastUpdated } : {}),
      };
    }),
  );

  const stored = await fhir.searchUnchecked<AuditEvent>('AuditEvent', `patient=Patient/${patientId}`);
  return {
    patient: patientId,
    writeProfile: sources.writeProfile,
    notes,
    auditEvents: { fhir: stored.length, sink: auditSink.countFor(patientId) },
  };
}
