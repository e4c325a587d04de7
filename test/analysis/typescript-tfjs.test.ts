// TensorFlow.js in the TypeScript front end: gradients are values, so what matters is which map
// reaches applyGradients. The fixtures (test/fixtures/typescript/tfjs_*) say where findings are;
// these tests say how many shapes they cover, that the must-not-flag files really hold clips and
// steps (so their silence means something), how names resolve, and what the fixes do.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analyzer } from '../../analysis/analyzer';
import type { Finding } from '../../analysis/api';
import { applyEdits } from '../../analysis/edits';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'typescript');
const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'tfjs_clipped_copy_not_applied.js');

const analyze = (text: string) => new Analyzer('typescript').analyze(text);
const codes = (text: string) => analyze(text).findings.map((f) => `${f.range.start.line + 1}:${f.code}`);

/** The copy-never-applied reading of CLP002 (its own message). */
const unapplied = (f: Finding) => f.code === 'CLP002' && /holds the clipped gradients|clipped gradients this call returns are dropped|clipped gradients end up in/.test(f.message);

const LOOP = `import * as tf from '@tensorflow/tfjs';
const optimizer = tf.train.adam(0.01);
for (let i = 0; i < 10; i++) {
  const { grads } = tf.variableGrads(() => loss());
  const clipped = Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.clipByValue(g, -1, 1)]));
  optimizer.applyGradients(grads);
}
`;

describe('TensorFlow.js', () => {
  const fixtures = readdirSync(DIR).filter((f) => f.startsWith('tfjs_'));
  const findings = fixtures.flatMap((name) => analyze(readFileSync(join(DIR, name), 'utf8')).findings);

  it('covers CLP001, CLP002 (after the step, and a copy never applied), CLP004 and CLP008 with at least three must-flag shapes each', () => {
    const count = (p: (f: Finding) => boolean) => findings.filter(p).length;
    assert.ok(count((f) => f.code === 'CLP001') >= 3, 'CLP001');
    assert.ok(count((f) => f.code === 'CLP002' && !unapplied(f)) >= 3, 'CLP002 after the step');
    assert.ok(count(unapplied) >= 3, 'CLP002 copy never applied');
    assert.ok(count((f) => f.code === 'CLP004') >= 3, 'CLP004');
    assert.ok(count((f) => f.code === 'CLP008') >= 3, 'CLP008');
  });

  it('the must-not-flag files hold clips the analysis recognises, and steps: their silence is a verdict', () => {
    const applied = analyze(readFileSync(join(DIR, 'tfjs_clipped_map_applied.ts'), 'utf8'));
    assert.deepEqual(applied.findings, []);
    assert.ok(applied.clips.length >= 7, `${applied.clips.length} clips recognised`);
    const alikes = analyze(readFileSync(join(DIR, 'tfjs_look_alikes.ts'), 'utf8'));
    assert.deepEqual(alikes.findings, []);
    // The GAN's critic clip, the clipped bias of a manual update, the manual step's clip, REINFORCE's, the one applied later.
    assert.equal(alikes.clips.length, 5, alikes.clips.map((c) => `${c.range.start.line + 1}:${c.callee}`).join(', '));
    // Pixel values, PPO's ratio and WGAN's weights are not gradients: no clip there.
    const text = readFileSync(join(DIR, 'tfjs_look_alikes.ts'), 'utf8').split('\n');
    for (const clip of alikes.clips) assert.doesNotMatch(text[clip.range.start.line], /image|ratio|v\.read|w\.assign\(w\.clip/);
  });

  it('a clipped copy never applied: the fix passes the copy to the step; the fixed text has no finding and a second fix changes nothing', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const finding = analyze(text).findings.find(unapplied);
    assert.ok(finding?.fix, 'a fix');
    assert.match(finding.message, /`clipped` holds the clipped gradients, but `optimizer\.applyGradients\(…\)` \(line 14\) applies `grads`/);
    const fixed = applyEdits(text, finding.fix.edits);
    assert.equal(fixed, text.replace('optimizer.applyGradients(grads);', 'optimizer.applyGradients(clipped);'));
    assert.deepEqual(analyze(fixed).findings, []);
    assert.ok(analyze(fixed).findings.every((f) => !f.fix), 'nothing left to fix');
  });

  it('a helper that clips in place after applyGradients: the fix moves it before the step; the fixed text has no finding', () => {
    const text = `import * as tf from '@tensorflow/tfjs';
const optimizer = tf.train.adam(0.01);
function clipInPlace(grads, limit) {
  for (const k in grads) grads[k] = tf.clipByValue(grads[k], -limit, limit);
}
for (let i = 0; i < 10; i++) {
  const { grads } = tf.variableGrads(() => loss());
  optimizer.applyGradients(grads);
  clipInPlace(grads, 1.0);
}
`;
    const finding = analyze(text).findings.find((f) => f.code === 'CLP002');
    assert.ok(finding?.fix, 'a fix');
    const fixed = applyEdits(text, finding.fix.edits);
    assert.equal(fixed, text.replace('  optimizer.applyGradients(grads);\n  clipInPlace(grads, 1.0);', '  clipInPlace(grads, 1.0);\n  optimizer.applyGradients(grads);'));
    assert.deepEqual(analyze(fixed).findings, []);
    // A copy after the step is not moved: before the step it would still not be what the step applies.
    const copy = text.replace('  clipInPlace(grads, 1.0);', '  const clipped = Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.clipByValue(g, -1, 1)]));');
    const late = analyze(copy).findings.find((f) => f.code === 'CLP002');
    assert.ok(late);
    assert.equal(late.fix, undefined);
  });

  it('offers no fix where the copy is not always there at the step: filled in a loop, made under a condition, declared in another block', () => {
    const filled = LOOP.replace(/ {2}const clipped = .*\n/, '  const clipped = {};\n  for (const k in grads) clipped[k] = tf.clipByValue(grads[k], -1, 1);\n');
    const conditional = LOOP.replace('const clipped = Object', 'const clipped = useClip && Object');
    const inner = LOOP.replace(/ {2}(const clipped = .*)\n/, '  if (useClip) {\n    $1\n  }\n');
    for (const text of [filled, conditional, inner]) {
      const finding = analyze(text).findings.find(unapplied);
      assert.ok(finding, text);
      assert.equal(finding.fix, undefined, text);
    }
  });

  it('names mean what their binding says: tf from TensorFlow.js (import, require, the page global, named imports) but not from another library', () => {
    assert.deepEqual(codes(LOOP), ['5:CLP002']);
    assert.deepEqual(codes(LOOP.replace("import * as tf from '@tensorflow/tfjs';", "const tf = require('@tensorflow/tfjs-node');")), ['5:CLP002']);
    assert.deepEqual(codes(LOOP.replace("import * as tf from '@tensorflow/tfjs';\n", '')), ['4:CLP002']);
    const named = LOOP.replace("import * as tf from '@tensorflow/tfjs';", "import { clipByValue, train, variableGrads } from '@tensorflow/tfjs-core';").replace(/tf\./g, '');
    assert.deepEqual(codes(named), ['5:CLP002']);
    assert.deepEqual(codes(LOOP.replace("'@tensorflow/tfjs'", "'./my-tensor-lib'")), []);
  });

  it('only an optimizer applies gradients, and only a gradient is clipped', () => {
    assert.deepEqual(codes(LOOP.replace(/optimizer/g, 'renderer').replace('tf.train.adam(0.01)', 'createRenderer()')), []);
    // …and one bound from tf.train is an optimizer, whatever its name.
    assert.deepEqual(codes(LOOP.replace(/optimizer/g, 'renderer')), ['5:CLP002']);
    // A loss clipped (PPO's ratio), a gradient scaled then clipped (arithmetic on gradients is no gradient).
    assert.deepEqual(codes(LOOP.replace('tf.clipByValue(g, -1, 1)', 'tf.clipByValue(ratio, 0.8, 1.2)')), []);
    assert.deepEqual(codes(LOOP.replace('tf.clipByValue(g, -1, 1)', 'tf.clipByValue(g.mul(2), -1, 1)')), []);
    // tf.train.sgd, new tf.SGDOptimizer, model.optimizer: optimizers too.
    assert.deepEqual(codes(LOOP.replace('tf.train.adam(0.01)', 'new tf.SGDOptimizer(0.1)')), ['5:CLP002']);
    assert.deepEqual(codes(LOOP.replace(/optimizer\.applyGradients/, 'model.optimizer.applyGradients')), ['5:CLP002']);
  });

  it('a clip helper counts only when the file defines it and its body really clips; editing its body re-analyses the loop', () => {
    const helper = (body: string) => `import * as tf from '@tensorflow/tfjs';
const optimizer = tf.train.adam(0.01);
function clipByGlobalNorm(grads, maxNorm) {
${body}
}
for (let i = 0; i < 10; i++) {
  const { grads } = tf.variableGrads(() => loss());
  const clipped = clipByGlobalNorm(grads, 1.0);
  optimizer.applyGradients(grads);
}
`;
    const clips = helper('  const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => g.square().sum())));\n  return Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, g.mul(tf.minimum(1, tf.div(maxNorm, norm)))]));');
    const logs = helper('  console.log(maxNorm);\n  return grads;');
    const analyzer = new Analyzer('typescript');
    assert.deepEqual(analyzer.analyze(clips).findings.map((f) => f.code), ['CLP002']);
    // The same analyzer (its unit cache): the loop's own text is unchanged, the helper's is not.
    assert.deepEqual(analyzer.analyze(logs).findings, []);
    assert.deepEqual(analyzer.analyze(clips).findings.map((f) => f.code), ['CLP002']);
    // Imported from elsewhere: not known to clip.
    assert.deepEqual(codes(clips.replace(/function clipByGlobalNorm[\s\S]*?\n}\n/, "import { clipByGlobalNorm } from './clip';\n")), []);
  });

  it('tf.clipByNorm does not exist: CLP008 says what to write instead, unless the file defines it', () => {
    const text = LOOP.replace('tf.clipByValue(g, -1, 1)', 'tf.clipByNorm(g, 1)');
    const finding = analyze(text).findings.find((f) => f.code === 'CLP008');
    assert.ok(finding);
    assert.match(finding.message, /`tf\.clipByNorm` does not exist: this line raises TypeError\. Use `tf\.clipByValue\(/);
    assert.deepEqual(codes(text.replace('const optimizer', 'tf.clipByNorm = (x, n) => x.mul(tf.minimum(1, tf.div(n, tf.norm(x)))));\nconst optimizer')), []);
  });

  it('a copy merged back into the map applied (Object.assign), read by a callback that runs later, or stored outside the unit is not "never applied"', () => {
    assert.deepEqual(codes(LOOP.replace('  optimizer.applyGradients(grads);', '  Object.assign(grads, clipped);\n  optimizer.applyGradients(grads);')), []);
    assert.deepEqual(codes(LOOP.replace('  optimizer.applyGradients(grads);', '  optimizer.applyGradients(grads);\n  queue.then(() => other.applyGradients(clipped));')), []);
    assert.deepEqual(codes(LOOP.replace('const clipped = Object', 'this.lastClipped = Object')), []);
    // …while a dispose in a callback run now is still no use.
    assert.deepEqual(codes(LOOP.replace('  optimizer.applyGradients(grads);', '  optimizer.applyGradients(grads);\n  tf.tidy(() => tf.dispose(clipped));')), ['5:CLP002']);
  });

  it('per-example clipping under differential privacy (noise added to the sum) is the algorithm, not CLP004', () => {
    const dp = (noise: string) => `import * as tf from '@tensorflow/tfjs';
const optimizer = tf.train.adam(0.01);
for (const batch of batches) {
  const summed = {};
  for (const example of batch) {
    const { grads } = tf.variableGrads(() => loss(example));
    const clipped = Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.clipByValue(g, -1, 1)]));
    for (const k in clipped) summed[k] = summed[k] ? summed[k].add(clipped[k]) : clipped[k];
  }
  const update = Object.fromEntries(Object.entries(summed).map(([k, g]) => [k, ${noise}]));
  optimizer.applyGradients(update);
}
`;
    assert.deepEqual(codes(dp('g.div(batch.length)')), ['7:CLP004']);
    assert.deepEqual(codes(dp('g.add(tf.randomNormal(g.shape, 0, sigma))')), []);
  });

  it("the Lab's loop shape: the code's pass runs without the copy no step applies, the fixed pass applies it", () => {
    const [loop] = analyze(readFileSync(EXAMPLE, 'utf8')).loops;
    assert.deepEqual(loop.codes, ['CLP002']);
    assert.deepEqual(loop.order.map((c) => c.call), ['backward', 'step']);
    assert.deepEqual(loop.fixedOrder.map((c) => c.call), ['backward', 'clip', 'step']);
    // tf.clipByValue(g, -1, 1): clipping by value at 1, as the Lab replays it.
    assert.deepEqual(loop.clip && { kind: loop.clip.kind, threshold: loop.clip.threshold }, { kind: 'value', threshold: 1 });
    // A clip after applyGradients replays after the step, fixed before it.
    const after = analyze(readFileSync(join(DIR, 'tfjs_clp002_clip_after_step.ts'), 'utf8')).loops[0];
    assert.deepEqual([after.order.map((c) => c.call), after.fixedOrder.map((c) => c.call)], [['backward', 'step', 'clip'], ['backward', 'clip', 'step']]);
  });

  it('half-typed TensorFlow.js code: the fixtures truncated at every line never crash, and no finding points past the text', () => {
    for (const name of ['tfjs_clp002_unapplied_copy.ts', 'tfjs_clp004_clip_every_microbatch.ts']) {
      const lines = readFileSync(join(DIR, name), 'utf8').split('\n');
      for (let n = 1; n <= lines.length; n++) {
        const text = lines.slice(0, n).join('\n');
        const result = analyze(text);
        assert.equal(result.skipped, undefined, `${name} at line ${n}: ${result.skipped}`);
        for (const f of result.findings) assert.ok(f.range.end.line < n, `${name} at line ${n}: ${f.code} past the text`);
      }
    }
  });

  it('callbacks that run now are part of the loop (tf.tidy, minimize); callbacks that run later are not (setTimeout, then, fit callbacks)', () => {
    const inTidy = LOOP.replace(/(\n {2}const \{ grads \}[\s\S]*applyGradients\(grads\);)/, '\n  tf.tidy(() => {$1\n  });');
    assert.deepEqual(codes(inTidy), ['6:CLP002']);
    const later = LOOP.replace('optimizer.applyGradients(grads);', 'setTimeout(() => optimizer.applyGradients(grads), 0);');
    assert.deepEqual(codes(later), []);
    const minimize = `import * as tf from '@tensorflow/tfjs';
const optimizer = tf.train.adam(0.01);
for (let i = 0; i < 10; i++) {
  optimizer.minimize(() => {
    const { value, grads } = tf.variableGrads(() => loss());
    const clipped = Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.clipByValue(g, -1, 1)]));
    return value;
  });
}
`;
    assert.deepEqual(codes(minimize), ['6:CLP001']);
    assert.deepEqual(codes(minimize.replace('optimizer.minimize(() => {', 'Promise.resolve().then(() => {')), []);
    // Our engine's noGrad runs its function now: a clip in it after the step is after the step.
    const engine = `import { SGD, clipGradNorm_, noGrad } from 'clipwise/engine';
const optimizer = new SGD(model.parameters(), { lr: 0.1 });
for (const batch of batches) {
  optimizer.zeroGrad();
  model.forward(batch).backward();
  optimizer.step();
  noGrad(() => {
    clipGradNorm_(model.parameters(), 1.0);
  });
}
`;
    assert.deepEqual(codes(engine), ['8:CLP002']);
    // No fix moves the clip out of the function it is written in.
    assert.equal(analyze(engine).findings[0].fix, undefined);
  });

  it('says where the clipped copy is and what to do: pass the name the step can see, write a rebound entry back, or bring a block-scoped copy to the step', () => {
    const message = (body: string) => analyze(`import * as tf from '@tensorflow/tfjs';\nexport function step(optimizer: tf.Optimizer, f: () => tf.Scalar) {\n  const { grads } = tf.variableGrads(f);\n${body}\n}\n`).findings.map((f) => f.message);
    const [tidy] = message(`  const clipped = tf.tidy(() => {\n    const out: tf.NamedTensorMap = {};\n    for (const k in grads) out[k] = tf.clipByValue(grads[k], -1, 1);\n    return out;\n  });\n  optimizer.applyGradients(grads);`);
    assert.match(tidy, /end up in `clipped` \(as `out` here\).*Pass `clipped` to the step\.$/);
    const [rebound] = message(`  for (const k in grads) {\n    let g = grads[k];\n    g = tf.clipByValue(g, -1, 1);\n  }\n  optimizer.applyGradients(grads);`);
    assert.match(rebound, /^`g` holds the clipped gradients.*Giving `g` a new value leaves the map it was read from as it was/);
    const [block] = message(`  if (Math.random() > 0.5) {\n    const clipped = Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.clipByValue(g, -1, 1)]));\n    console.log(Object.keys(clipped).length);\n  }\n  optimizer.applyGradients(grads);`);
    assert.match(block, /`clipped` is not in scope at the step/);
    const [global] = message(`  const clipped = tf.clipByGlobalNorm(grads, 1);\n  optimizer.applyGradients(clipped);`);
    assert.match(global, /`tf\.clipByGlobalNorm` does not exist.*tf\.div\(maxNorm, globalNorm\)/);
  });
});
