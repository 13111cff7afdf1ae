/** The authorization server's own pages: consent, patient picker, errors. Every value is escaped. */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; padding: 1.25rem; color: #1d2733; background: #f4f6f8; }
  main { max-width: 30rem; margin: 0 auto; background: #fff; border: 1px solid #d5dbe1; border-radius: 8px; padding: 1.25rem; }
  h1 { font-size: 1.15rem; margin: 0 0 .75rem; }
  ul { padding-left: 1.2rem; } li { margin: .15rem 0; word-break: break-word; }
  .actions { display: flex; gap: .5rem; margin-top: 1rem; flex-wrap: wrap; }
  button { font: inherit; padding: .45rem 1rem; border-radius: 6px; border: 1px solid #1f5fa8; background: #1f5fa8; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #1f5fa8; }
  .patient { display: block; width: 100%; text-align: left; margin: .25rem 0; background: #fff; color: #1d2733; border-color: #d5dbe1; }
  .muted { color: #56616d; font-size: .9rem; }
  code { background: #eef1f4; padding: 0 .25rem; border-radius: 3px; }
</style></head>
<body><main>${body}</main></body></html>`;
}

export function errorPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>
<p class="muted">Sandbox EHR authorization server. Nothing was shared with the app.</p>`);
}

export function consentPage(opts: { txn: string; clientName: string; scopes: readonly string[]; patientName?: string; action: string }): string {
  const scopes = opts.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('');
  const who = opts.patientName ? ` for <strong>${escapeHtml(opts.patientName)}</strong>` : '';
  return page(`Allow ${opts.clientName}?`, `<h1>Allow ${escapeHtml(opts.clientName)} to access the chart${who}?</h1>
<p>The app asks for:</p><ul>${scopes}</ul>
<form method="post" action="${escapeHtml(opts.action)}">
  <input type="hidden" name="txn" value="${escapeHtml(opts.txn)}">
  <div class="actions">
    <button type="submit" name="decision" value="allow">Allow</button>
    <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
  </div>
</form>`);
}

export function patientPickerPage(opts: { txn: string; clientName: string; action: string; patients: ReadonlyArray<{ id: string; name: string; detail: string }> }): string {
  const rows = opts.patients
    .map(
      (p) => `<button type="submit" class="patient" name="patient" value="${escapeHtml(p.id)}">${escapeHtml(p.name)}<br><span class="muted">${escapeHtml(p.detail)}</span></button>`,
    )
    .join('');
  return page('Choose a patient', `<h1>Choose a patient for ${escapeHtml(opts.clientName)}</h1>
<form method="post" action="${escapeHtml(opts.action)}">
  <input type="hidden" name="txn" value="${escapeHtml(opts.txn)}">
  ${rows}
  <div class="actions"><button type="submit" name="decision" value="deny" class="secondary">Cancel</button></div>
</form>`);
}
