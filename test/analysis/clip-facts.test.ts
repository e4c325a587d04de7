// Rules read what a clip is from facts its front end sets (library, own name, norm or value,
// deprecated, nonexistent and what to call instead, whether the threshold's meaning is known),
// never from a qualified name: no rule file tests `resolved` or spells a library's names.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PythonFrontEnd } from '../../analysis/python';
import { TypeScriptFrontEnd } from '../../analysis/typescript';
import type { FrontEnd } from '../../analysis/frontend';
import type { ClipDetails } from '../../analysis/model/events';

const RULES_DIR = join(import.meta.dirname, '..', '..', 'analysis', 'rules');

/** The clips of every unit, by the line they are written on (1-based). */
function clips(front: FrontEnd, text: string): Map<number, ClipDetails> {
  const byLine = new Map<number, ClipDetails>();
  for (const source of front.run(text).units) {
    for (const node of source.build().unit.graph.nodes) {
      for (const event of node.events) if (event.clip && !event.via.length) byLine.set(event.site.range.start.line + 1, event.clip);
    }
  }
  return byLine;
}

/** A source file without its comments (string contents kept). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

describe('clip facts', () => {
  it("no rule tests `resolved` or the callee's text, or spells a qualified name as a literal", () => {
    const offences: string[] = [];
    for (const file of readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts'))) {
      const text = code(readFileSync(join(RULES_DIR, file), 'utf8'));
      // `resolved` only as a message shows it (`${clip.resolved}` in a template); the callee as written not at all.
      const outsideMessages = text.replace(/\$\{[\w.]*\.resolved\}/g, '');
      if (/\bresolved\b/.test(outsideMessages)) offences.push(`${file}: reads resolved`);
      if (/\.callee\b/.test(text)) offences.push(`${file}: reads the callee's text`);
      for (const [, , content] of text.matchAll(/(['"`])((?:\\.|(?!\1)[^\\\n])*)\1/g)) {
        // A literal that is a qualified name or a prefix of one (`'torch.nn.utils.clip_grad'`, `'accelerate.'`).
        if (/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*\.$|^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$/.test(content)) offences.push(`${file}: spells '${content}'`);
      }
    }
    assert.deepEqual(offences, []);
  });

  it('the Python front end says which library each clip is, its name and what it clips by', () => {
    const text = [
      'import torch',
      'from torch.nn.utils import clip_grad_norm',
      'from accelerate import Accelerator',
      'from lightning import Fabric',
      'accelerator = Accelerator()',
      'fabric = Fabric()',
      'optimizer = torch.optim.SGD(model.parameters(), lr=0.1)',
      'def train(loader):',
      '    for x in loader:',
      '        loss = model(x)',
      '        loss.backward()',
      '        clip_grad_norm(model.parameters(), 1.0)',
      '        torch.nn.utils.clip_grad_value_(model.parameters(), 0.5)',
      '        accelerator.clip_grad_norm_(model.parameters(), 1.0)',
      '        fabric.clip_gradients(model, optimizer, clip_val=0.5)',
      '        value_net.clip_grad_norm_(1.0)',
      '        optimizer.clip_grad_norm_(1.0)',
      '        torch.nn.utils.clip_grad(model.parameters(), 1.0)',
      '        torch.nn.utils.clip_gradient_norm_(model.parameters(), 1.0)',
      '        optimizer.step()',
      '',
    ].join('\n');
    const found = clips(new PythonFrontEnd(), text);
    const facts = (line: number) => {
      const clip = found.get(line);
      assert.ok(clip, `a clip on line ${line}`);
      return { ...clip.api, deprecated: clip.deprecated?.current, missing: clip.missing?.why };
    };
    assert.deepEqual(facts(12), { library: 'torch', name: 'clip_grad_norm', by: 'norm', thresholdMeaningKnown: true, deprecated: 'clip_grad_norm_', missing: undefined });
    assert.deepEqual(facts(13), { library: 'torch', name: 'clip_grad_value_', by: 'value', thresholdMeaningKnown: true, plainUtility: true, deprecated: undefined, missing: undefined });
    assert.deepEqual(facts(14), { library: 'accelerate', name: 'clip_grad_norm_', by: 'norm', thresholdMeaningKnown: true, deprecated: undefined, missing: undefined });
    assert.deepEqual(facts(15), { library: 'fabric', name: 'clip_gradients', by: 'value', thresholdMeaningKnown: true, deprecated: undefined, missing: undefined });
    // A method of some other object (an FSDP1 module, fairseq's optimizer): its own clip, by the norm whatever the receiver is called.
    assert.deepEqual(facts(16), { library: 'object-method', name: 'clip_grad_norm_', by: 'norm', thresholdMeaningKnown: false, deprecated: undefined, missing: undefined });
    assert.deepEqual(facts(17), { library: 'torch', name: 'clip_grad_norm_', by: 'norm', thresholdMeaningKnown: false, deprecated: undefined, missing: 'no-method' });
    assert.deepEqual(facts(18), { library: 'torch', name: 'clip_grad', by: 'norm', thresholdMeaningKnown: true, deprecated: undefined, missing: 'module' });
    assert.deepEqual(facts(19), { library: 'torch', name: 'clip_gradient_norm_', by: 'norm', thresholdMeaningKnown: true, deprecated: undefined, missing: 'no-function' });
    assert.equal(found.get(17)?.missing?.replacement?.api, 'torch.nn.utils.clip_grad_norm_');
  });

  it('the TypeScript front end says whose library a clip is: our engine or a PyTorch-like JS library', () => {
    const text = [
      "import { clipGradNorm_ } from 'clipwise/engine';",
      "import * as torch from 'js-pytorch';",
      'for (const batch of loader) {',
      '  loss.backward();',
      '  clipGradNorm_(model.parameters(), 1.0);',
      '  torch.nn.utils.clip_grad_value_(model.parameters(), 0.5);',
      '  optimizer.step();',
      '}',
      '',
    ].join('\n');
    const found = clips(new TypeScriptFrontEnd(), text);
    assert.deepEqual(found.get(5)?.api, { library: 'engine', name: 'clipGradNorm_', by: 'norm', thresholdMeaningKnown: true });
    assert.deepEqual(found.get(6)?.api, { library: 'js-pytorch', name: 'clip_grad_value_', by: 'value', thresholdMeaningKnown: false });
  });
});
