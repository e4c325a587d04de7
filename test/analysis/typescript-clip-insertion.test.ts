// "Add gradient clipping before this step" in TypeScript: the inserted call is the engine's
// clip, spelled through the file's own import (added to it when missing), and the edited file
// type-checks against the real engine and then runs clean; steps of other libraries' optimizers
// get no insertion.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { analyzeText } from '../../analysis/analyzer';
import { applyEdits } from '../../analysis/edits';

const ENGINE = join(import.meta.dirname, '..', '..', 'engine', 'index');

function loop(imports: string): string {
  return `${imports}

const model = new Linear(4, 1);
const optimizer = new SGD(model.parameters(), { lr: 0.05 });
const x = randn([8, 4]);
const y = randn([8, 1]);

for (let epoch = 0; epoch < 3; epoch++) {
  optimizer.zeroGrad();
  const loss = mseLoss(model.forward(x), y);
  loss.backward();
  optimizer.step();
}
`;
}

function inserted(text: string): string {
  const [step, ...others] = analyzeText(text, 'typescript').unclippedSteps;
  assert.ok(step, 'the step is offered a clip');
  assert.equal(others.length, 0);
  return applyEdits(text, step.insertClip);
}

/** TypeScript's own diagnostics of the text, importing the real engine. */
function typeErrors(text: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'clipwise-insert-'));
  try {
    const file = join(dir, 'train.ts');
    writeFileSync(file, text.replaceAll("'clipwise/engine'", JSON.stringify(ENGINE)));
    const program = ts.createProgram([file], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, types: [] });
    return ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('TypeScript: adding a clip before an engine step', () => {
  it('adds clipGradNorm_ to the named import and inserts the call; the result type-checks and is clean', () => {
    const text = loop(`import { Linear, SGD, mseLoss, randn } from 'clipwise/engine';`);
    assert.deepEqual(typeErrors(text), []);
    const fixed = inserted(text);
    assert.match(fixed, /^import \{ Linear, SGD, mseLoss, randn, clipGradNorm_ \} from 'clipwise\/engine';$/m);
    assert.match(fixed, /\n  clipGradNorm_\(optimizer\.params, 1\.0\);\n  optimizer\.step\(\);/);
    assert.deepEqual(typeErrors(fixed), []);
    const after = analyzeText(fixed, 'typescript');
    assert.deepEqual([after.findings, after.unclippedSteps], [[], []]);
  });

  it('uses the name the file already imports the clip as, or its namespace', () => {
    const aliased = inserted(loop(`import { Linear, SGD, mseLoss, randn, clipGradNorm_ as clip } from 'clipwise/engine';`));
    assert.match(aliased, /\n  clip\(optimizer\.params, 1\.0\);\n/);
    assert.deepEqual(typeErrors(aliased), []);
    const namespaced = loop(`import * as cw from 'clipwise/engine';`).replace(/new Linear|new SGD|mseLoss\(|randn\(/g, (m) => (m.startsWith('new ') ? `new cw.${m.slice(4)}` : `cw.${m}`));
    const fixed = inserted(namespaced);
    assert.match(fixed, /\n  cw\.clipGradNorm_\(optimizer\.params, 1\.0\);\n/);
    assert.deepEqual(typeErrors(fixed), []);
  });

  it('inserts nothing where the name is taken or the optimizer is not the engine’s', () => {
    const taken = `${loop(`import { Linear, SGD, mseLoss, randn } from 'clipwise/engine';`)}\nfunction clipGradNorm_(): void {}\n`;
    assert.deepEqual(analyzeText(taken, 'typescript').unclippedSteps, []);
    const tfjs = `import * as tf from '@tensorflow/tfjs';\nconst optimizer = tf.train.sgd(0.1);\nfor (const b of batches) {\n  const { grads } = tf.variableGrads(() => loss(b));\n  optimizer.applyGradients(grads);\n}\n`;
    assert.deepEqual(analyzeText(tfjs, 'typescript').unclippedSteps, []);
    const reassigned = loop(`import { Linear, SGD, mseLoss, randn } from 'clipwise/engine';`).replace('for (let epoch', 'if (resume) optimizer = restored();\nfor (let epoch');
    assert.deepEqual(analyzeText(reassigned.replace('const optimizer', 'let optimizer'), 'typescript').unclippedSteps, []);
  });
});
