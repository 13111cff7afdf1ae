import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attachmentText, base64Bytes, decodeEntities, htmlToText, rtfToText, textFormat } from './attachments.ts';

const b64 = (text: string, encoding: BufferEncoding = 'utf8') => Buffer.from(text, encoding).toString('base64');

test('text formats by MIME type, with parameters', () => {
  assert.equal(textFormat('text/plain;charset=utf-8'), 'plain');
  assert.equal(textFormat('TEXT/HTML'), 'html');
  assert.equal(textFormat('text/rtf'), 'rtf');
  assert.equal(textFormat('application/pdf'), undefined);
  assert.equal(textFormat('application/xml'), undefined);
  assert.equal(textFormat(undefined), undefined);
});

test('base64 plain text decodes as UTF-8 and survives non-ASCII', () => {
  assert.equal(attachmentText({ base64: b64('Zoë Ñúñez-Łukasiewicz\r\nline two') }, 'text/plain;charset=utf-8'), 'Zoë Ñúñez-Łukasiewicz\nline two');
  assert.equal(attachmentText({ base64: b64('café', 'latin1') }, 'text/plain; charset=ISO-8859-1'), 'café');
  assert.equal(base64Bytes('not base64!'), undefined);
  assert.equal(attachmentText({ base64: 'JVBERi0x' }, 'application/pdf'), undefined);
});

test('HTML loses its tags, scripts and styles, keeps its line structure and decodes entities', () => {
  const html = `<html><head><title>x</title><style>p{color:red}</style></head><body>
    <h1>Assessment</h1><p>BP 150/86 &amp; rising.<br/>K&#43; 5.4 &lt;high&gt;</p>
    <script>alert(1)</script><ul><li>Stop NSAIDs</li><li>Recheck in 2&nbsp;weeks</li></ul>
    <table><tr><td>Na</td><td>131</td></tr></table></body></html>`;
  assert.equal(attachmentText({ text: html }, 'text/html')?.replace(/\n+/g, '\n'), 'Assessment\nBP 150/86 & rising.\nK+ 5.4 <high>\n- Stop NSAIDs\n- Recheck in 2 weeks\nNa 131');
  assert.doesNotMatch(htmlToText(html), /alert|color/);
  assert.equal(decodeEntities('&#x2265; &eacute; &unknown;'), '≥ é &unknown;');
  assert.equal(attachmentText({ text: '<p>One</p><p>Two</p>' }, 'text/html'), 'One\n\nTwo');
});

test('RTF keeps the text and drops control words, font tables and hidden destinations', () => {
  const rtf = String.raw`{\rtf1\ansi\deff0{\fonttbl{\f0 Arial;}}{\colortbl;\red0\green0\blue0;}{\*\generator Riched20;}\viewkind4\uc1\pard\f0\fs20 Consult note\par Plan: caf\'e9 \u8805?5 mg\par {\b Bold} \{braces\}\tab end\par}`;
  assert.equal(rtfToText(rtf), 'Consult note\nPlan: café ≥5 mg\nBold {braces}\tend\n');
  assert.equal(attachmentText({ base64: b64(rtf, 'latin1') }, 'text/rtf'), 'Consult note\nPlan: café ≥5 mg\nBold {braces} end');
  assert.equal(rtfToText('plain, not rtf'), 'plain, not rtf');
});

test('entity names that are Object.prototype members stay as text, like any unknown entity', () => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
    assert.equal(decodeEntities(`a &${name}; b`), `a &${name}; b`);
    assert.equal(htmlToText(`a &${name}; b`), `a &${name}; b`);
  }
});
