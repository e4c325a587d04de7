// The hover over a finding says what the diagnostic beside it does not: the editor shows the
// message in the same hover, so the message must not appear twice. A TypeScript clip is explained
// in TypeScript's spelling.
import assert from 'node:assert/strict';
import { HoverRequest, type Hover } from 'vscode-languageserver-protocol/node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, ROOT, serverForSuite } from './lspClient';
import { fixture, lineOf } from './fixtures';

describe('protocol: hover over a finding', function () {
  let client: LspClient;
  serverForSuite((started) => (client = started));

  it('names the rule, says why it matters, links its page and explains the clip, without repeating the message', async () => {
    const { uri, text } = fixture('clip_after_step.py');
    await client.open(uri, text);
    const [diagnostic] = (await client.diagnostics(uri)).diagnostics;
    assert.equal(diagnostic.code, 'CLP002');
    const line = lineOf(text, 'torch.nn.utils.clip_grad_norm_(');
    const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: 30 } })) as Hover;
    const value = (hover.contents as { value: string }).value;
    const message = typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
    assert.ok(message.length > 20);
    assert.ok(!value.includes(message), `the hover repeats the diagnostic message:\n${value}`);
    assert.match(value, /\*\*CLP002 · clip-after-step\*\*/);
    assert.match(value, /Why it matters:/);
    assert.match(value, /\[CLP002 documentation\]\(.*CLP002\.md\)/);
    assert.match(value, /clip_coef = 1\.0 \/ \(total_norm \+ 1e-6\)/);
  });

  it('explains a TypeScript clip in TypeScript’s spelling, as the definition the engine follows', async () => {
    const text = readFileSync(join(ROOT, 'examples', 'engine_clip_after_step.ts'), 'utf8');
    const uri = pathToFileURL(join(ROOT, 'examples', 'engine_clip_after_step.ts')).href + '?hover';
    await client.open(uri, text, 'typescript');
    const [diagnostic] = (await client.diagnostics(uri)).diagnostics;
    assert.equal(diagnostic.code, 'CLP002');
    const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: diagnostic.range.start.line, character: diagnostic.range.start.character + 3 } })) as Hover;
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /\*\*CLP002 · clip-after-step\*\*/);
    assert.match(value, /`clipGradNorm_` scales all gradients together by one factor so that their total norm is at most 1\.0/);
    assert.match(value, /What it computes \(PyTorch's definition, which Clipwise's engine and PyTorch-like libraries follow\):\n```ts\n/);
    assert.match(value, /const clipCoef = Math\.min\(1\.0 \/ \(totalNorm \+ 1e-6\), 1\.0\);/);
    assert.match(value, /It returns `totalNorm`, the norm before clipping/);
    assert.doesNotMatch(value, /```python|p\.grad\.mul_|max_norm|None/, 'no Python in a TypeScript hover');
  });
});
