// Code actions read what the diagnostics computed: the rule's fix applied through the protocol
// makes the finding go; "disable for this line" merges into an existing comment; "add clipping"
// appears on a step without one; fix-all answers with edits (safe fixes only, no commands).
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction } from 'vscode-languageserver-protocol/node';
import { editsFor, LspClient, serverForSuite } from './lspClient';
import { fixture, lineOf } from './fixtures';

const apply = (text: string, action: CodeAction, uri: string) => TextDocument.applyEdits(TextDocument.create(uri, 'python', 1, text), editsFor(action, uri));

describe('protocol: code actions and fix-all', function () {
  let client: LspClient;
  serverForSuite((started) => (client = started));

  it('offers the rule fix as the preferred quick fix; applying it clears the diagnostic', async () => {
    const { uri, text } = fixture('clip_after_step.py');
    await client.open(uri, text);
    const [diagnostic] = (await client.diagnostics(uri)).diagnostics;
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, 'a preferred fix');
    assert.equal(fix.kind, 'quickfix');
    assert.match(fix.title, /Move the clip/);
    assert.equal(fix.command, undefined);
    const fixed = apply(text, fix, uri);
    assert.ok(fixed.indexOf('clip_grad_norm_(') < fixed.indexOf('        optimizer.step()'));
    const since = client.published.length;
    await client.replace(uri, 2, fixed);
    const after = await client.diagnostics(uri, (p) => p.version === 2, since);
    assert.deepEqual(after.diagnostics, []);
  });

  it('merges "Disable CLPxxx for this line" into an existing noqa comment', async () => {
    const { uri, text } = fixture('mixed_precision.py');
    await client.open(uri, text);
    const diagnostics = (await client.diagnostics(uri)).diagnostics;
    assert.deepEqual(diagnostics.map((d) => d.code).sort(), ['CLP003', 'CLP006']);
    const clp003 = diagnostics.find((d) => d.code === 'CLP003')!;
    const actions = await client.codeActions(uri, clp003.range, [clp003]);
    const disable = actions.find((a) => a.title === 'Disable CLP003 for this line');
    assert.ok(disable);
    const fixed = apply(text, disable, uri);
    assert.match(fixed.split('\n')[clp003.range.start.line], /# noqa: E501, CLP003$/);
    const since = client.published.length;
    await client.replace(uri, 2, fixed);
    const after = await client.diagnostics(uri, (p) => p.version === 2, since);
    assert.deepEqual(after.diagnostics.map((d) => d.code), ['CLP006']);
  });

  it('offers "Add gradient clipping before this step", with unscale_ under a GradScaler', async () => {
    const { uri, text } = fixture('unclipped.py');
    await client.open(uri, text);
    assert.deepEqual((await client.diagnostics(uri)).diagnostics, []);
    const plainLine = lineOf(text, 'optimizer.step()');
    const cursor = (line: number) => ({ start: { line, character: 8 }, end: { line, character: 8 } });
    const [plain] = await client.codeActions(uri, cursor(plainLine), []);
    assert.equal(plain.title, 'Add gradient clipping before this step');
    const withPlain = apply(text, plain, uri).split('\n');
    assert.match(withPlain[plainLine], /^ {8}torch\.nn\.utils\.clip_grad_norm_\(.*max_norm=1\.0\)$/);
    const ampLine = lineOf(text, 'scaler.step(optimizer)');
    const [amp] = await client.codeActions(uri, cursor(ampLine), []);
    assert.match(amp.title, /unscale_/);
    const withAmp = apply(text, amp, uri).split('\n');
    assert.equal(withAmp[ampLine].trim(), 'scaler.unscale_(optimizer)');
    assert.match(withAmp[ampLine + 1], /clip_grad_norm_/);
    assert.deepEqual(await client.codeActions(uri, cursor(lineOf(text, 'model = ')), []), []);
  });

  it('answers source.fixAll.clipwise with edits of the safe fixes, never a command', async () => {
    const { uri, text } = fixture('mixed_precision.py');
    await client.open(uri, text);
    await client.diagnostics(uri);
    const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = await client.codeActions(uri, whole, [], ['source.fixAll']);
    assert.equal(actions.length, 1);
    const [fixAll] = actions;
    assert.equal(fixAll.kind, 'source.fixAll.clipwise');
    assert.equal(fixAll.command, undefined);
    const fixed = apply(text, fixAll, uri);
    assert.match(fixed, /scaler\.unscale_\(optimizer\)\n\s+torch\.nn\.utils\.clip_grad_norm_\(model\.parameters\(\), 1\.0\)/);
    // Nothing but the fixes changed: every original line is still there.
    for (const line of text.split('\n')) if (!line.includes('clip_grad_norm(')) assert.ok(fixed.includes(line), line);
    const since = client.published.length;
    await client.replace(uri, 2, fixed);
    assert.deepEqual((await client.diagnostics(uri, (p) => p.version === 2, since)).diagnostics, []);
    // Only quick fixes were asked for: no fix-all among them.
    const quick = await client.codeActions(uri, whole, [], ['quickfix']);
    assert.ok(quick.every((a) => a.kind?.startsWith('quickfix')));
  });

  it('offers nothing for diagnostics from an older version of the document', async () => {
    const { uri, text } = fixture('clip_after_step.py');
    await client.open(uri, text);
    const [old] = (await client.diagnostics(uri)).diagnostics;
    await client.replace(uri, 2, '\n\n' + text);
    const actions = await client.codeActions(uri, old.range, [old]);
    assert.deepEqual(actions.filter((a) => a.diagnostics?.length), []);
  });

  it('answers with the edits of its own analysis whatever diagnostic.data the client sends', async () => {
    const { uri, text } = fixture('clip_after_step.py');
    await client.open(uri, text);
    const [diagnostic] = (await client.diagnostics(uri)).diagnostics;
    const honest = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    const far = { start: { line: 9999, character: 0 }, end: { line: 9999, character: 5 } };
    const forged = {
      ...diagnostic,
      data: {
        ...(diagnostic.data as object),
        fix: { title: 'Move the clip', safe: true, edits: [{ range: far, newText: 'import os; os.system("rm -rf ~")\n' }] },
        suppression: { range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } }, newText: 'evil()\n' },
      },
    };
    const actions = await client.codeActions(uri, diagnostic.range, [forged]);
    assert.equal(actions.length, honest.length);
    const text_ = (a: CodeAction) => JSON.stringify(editsFor(a, uri));
    assert.deepEqual(actions.map(text_), honest.map(text_));
    for (const action of actions) assert.doesNotMatch(text_(action), /rm -rf|evil|9999/);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix);
    assert.ok(apply(text, fix, uri).indexOf('clip_grad_norm_(') < apply(text, fix, uri).indexOf('        optimizer.step()'));
  });

  it('computes fix-all only when asked for by kind: the lightbulb request (no only) gets none', async () => {
    const { uri, text } = fixture('mixed_precision.py');
    await client.open(uri, text);
    await client.diagnostics(uri);
    const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const lightbulb = await client.codeActions(uri, whole, []);
    assert.ok(lightbulb.every((a) => !a.kind?.startsWith('source')), JSON.stringify(lightbulb.map((a) => a.kind)));
    const asked = await client.codeActions(uri, whole, [], ['source.fixAll.clipwise']);
    assert.deepEqual(asked.map((a) => a.kind), ['source.fixAll.clipwise']);
  });
});
