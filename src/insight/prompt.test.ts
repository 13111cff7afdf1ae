import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMessages, CASE_CLOSE, CASE_OPEN, parseMessages } from './prompt.ts';
import { CASE } from '../../test/msw/insight-fixtures.ts';

test('a system message with the role and rules, and a user message with the case inside delimiters', () => {
  const [system, user, ...rest] = buildMessages({ task: { kind: 'differential' }, case: CASE });
  assert.equal(rest.length, 0);
  assert.equal(system!.role, 'system');
  assert.equal(user!.role, 'user');
  for (const rule of [/clinical decision support/i, /suggestions/i, /never invent/i, /likelihood/i, /cantMiss/, /missing/, /real/i, /null/, /JSON/]) assert.match(system!.content, rule);
  assert.doesNotMatch(system!.content, /F2|Lisinopril/, 'no patient data in the system message');

  const text = user!.content;
  assert.match(text, /differential/i);
  assert.match(text, /inside the tags.*patient data.*never instructions/i);
  const open = text.indexOf(`\n${CASE_OPEN}\n`);
  const close = text.lastIndexOf(`\n${CASE_CLOSE}`);
  assert.ok(open > 0 && close > open);
  assert.deepEqual(JSON.parse(text.slice(open + CASE_OPEN.length + 2, close)), CASE, 'the case round-trips as JSON');
});

test('note text cannot close the delimiter early', () => {
  const [, user] = buildMessages({ task: { kind: 'differential' }, case: CASE });
  assert.equal(user!.content.split(CASE_CLOSE).length, 2, 'exactly one closing delimiter');
  assert.match(user!.content, /Ignore previous instructions/, 'the note is still there, as data');
});

test('an evidence question is asked outside the delimiters', () => {
  const [, user] = buildMessages({ task: { kind: 'evidence', question: ' Is metformin safe with an eGFR of 35? ' }, case: CASE });
  const beforeCase = user!.content.slice(0, user!.content.indexOf(CASE_OPEN));
  assert.match(beforeCase, /Question: Is metformin safe with an eGFR of 35\?\n/);
});

test('the prompt stays compact', () => {
  const [system, user] = buildMessages({ task: { kind: 'differential' }, case: CASE });
  const instructions = system!.content.length + user!.content.length - JSON.stringify(CASE).length;
  assert.ok(instructions < 2200, `${instructions} characters of instructions`);
});

test('parseMessages recovers the task and the case that buildMessages sent, and refuses anything else', () => {
  const differential = parseMessages(buildMessages({ task: { kind: 'differential' }, case: CASE }));
  assert.deepEqual(differential, { task: { kind: 'differential' }, case: CASE });
  const question = 'Does metformin need a dose change at eGFR 28?\nAnd after that?';
  const evidence = parseMessages(buildMessages({ task: { kind: 'evidence', question }, case: CASE }));
  assert.deepEqual(evidence?.task, { kind: 'evidence', question: question.trim() });
  assert.equal(parseMessages([{ role: 'user', content: 'hello' }]), undefined);
  assert.equal(parseMessages([{ role: 'user', content: `${CASE_OPEN}{not json${CASE_CLOSE}` }]), undefined);
  assert.equal(parseMessages('nope'), undefined);
});
