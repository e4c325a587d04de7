// Helpers of the same file in the TypeScript front end: a call has the helper's events, so an
// edit of the helper changes the caller's findings (re-analysis after it equals a fresh one),
// and a call that may not run that helper inlines nothing.
import assert from 'node:assert/strict';
import { Analyzer } from '../../analysis/analyzer';
import type { Finding } from '../../analysis/api';

const HELPER = `function clipAll(model: Module) {
  clipGradNorm_(model.parameters(), 1.0);
}
`;

const LOOP = `export function train(model: Module, data: Batch[]) {
  const opt = new SGD(model.parameters(), { lr: 0.1 });
  for (const batch of data) {
    opt.zeroGrad();
    const loss = model.loss(batch);
    clipAll(model);
    loss.backward();
    opt.step();
  }
}
`;

const TEXT = `import { Module, SGD, clipGradNorm_ } from 'clipwise/engine';\n\n${LOOP}\n${HELPER}`;

function summary(findings: Finding[]): string[] {
  return findings.map((f) => JSON.stringify({ code: f.code, range: f.range, related: f.related, fix: f.fix }));
}

function lines(a: Analyzer, text: string): string[] {
  return a.analyze(text).findings.map((f) => `${f.range.start.line}:${f.code}`);
}

describe('TypeScript helpers of the same file', () => {
  it('reports a clip helper called before backward on its call', () => {
    assert.deepEqual(lines(new Analyzer('typescript'), TEXT), ['7:CLP001']);
  });

  it('follows edits of the helper: the caller’s findings change with it, as a fresh analysis gives them', () => {
    const analyzer = new Analyzer('typescript');
    let current = TEXT;
    const seen: string[][] = [lines(analyzer, current)];
    const edits = [
      // The helper stops clipping: nothing is clipped before backward.
      (t: string) => t.replace('  clipGradNorm_(model.parameters(), 1.0);\n}', '  model.log();\n}'),
      // It clips again.
      (t: string) => t.replace('  model.log();\n}', '  clipGradNorm_(model.parameters(), 1.0);\n}'),
      // Lines inserted between the caller and the helper: the helper's lines move, the caller's do not.
      (t: string) => t.replace(HELPER, `const a = 1;\nconst b = 2;\n\n${HELPER}`),
      // A line added to the helper after its clip: the finding stays.
      (t: string) => t.replace('  clipGradNorm_(model.parameters(), 1.0);\n}', '  clipGradNorm_(model.parameters(), 1.0);\n  model.log();\n}'),
      // The helper is renamed: the call runs nothing known.
      (t: string) => t.replace('function clipAll(', 'function clipEvery('),
      () => TEXT,
    ];
    for (const edit of edits) {
      current = edit(current);
      const fresh = new Analyzer('typescript');
      assert.deepEqual(summary(analyzer.analyze(current).findings), summary(fresh.analyze(current).findings), current);
      seen.push(lines(analyzer, current));
    }
    assert.deepEqual(seen, [['7:CLP001'], [], ['7:CLP001'], ['7:CLP001'], ['7:CLP001'], [], ['7:CLP001']]);
  });

  it('moves the related locations inside a helper with the helper (its lines are part of the caller’s key)', () => {
    const analyzer = new Analyzer('typescript');
    const text = `import { Module, SGD, clipGradNorm_ } from 'clipwise/engine';

export function trainBatch(model: Module, opt: SGD, batch: Batch) {
  opt.zeroGrad();
  backwardClipped(model, model.loss(batch));
  opt.step();
}

function backwardClipped(model: Module, loss: Tensor) {
  clipGradNorm_(model.parameters(), 1.0);
  loss.backward();
}
`;
    const related = (findings: Finding[]) => findings.flatMap((f) => [`${f.range.start.line}:${f.code}`, ...f.related.map((r) => `${r.range.start.line}`)]);
    assert.deepEqual(related(analyzer.analyze(text).findings), ['4:CLP001', '9', '10', '5']);
    const moved = text.replace('function backwardClipped(', '// the helper\n\nfunction backwardClipped(');
    assert.deepEqual(related(analyzer.analyze(moved).findings), ['4:CLP001', '11', '12', '5']);
    assert.deepEqual(summary(analyzer.analyze(moved).findings), summary(new Analyzer('typescript').analyze(moved).findings));
  });

  it('inlines nothing where the name may mean something else: a parameter of that name, an override, an async helper not awaited', () => {
    const text = `import { Module, SGD, clipGradNorm_ } from 'clipwise/engine';

function clipAll(model: Module) {
  clipGradNorm_(model.parameters(), 1.0);
}

async function clipLater(model: Module) {
  clipGradNorm_(model.parameters(), 1.0);
}

export function shadowed(model: Module, data: Batch[], clipAll: (m: Module) => void) {
  const opt = new SGD(model.parameters(), { lr: 0.1 });
  for (const batch of data) {
    opt.zeroGrad();
    const loss = model.loss(batch);
    clipAll(model);
    loss.backward();
    opt.step();
  }
}

export function notAwaited(model: Module, data: Batch[]) {
  const opt = new SGD(model.parameters(), { lr: 0.1 });
  for (const batch of data) {
    opt.zeroGrad();
    const loss = model.loss(batch);
    clipLater(model);
    loss.backward();
    opt.step();
  }
}

class Base {
  protected clipGrads() {
    clipGradNorm_(this.model.parameters(), 1.0);
  }
  train(data: Batch[]) {
    for (const batch of data) {
      this.opt.zeroGrad();
      const loss = this.model.loss(batch);
      this.clipGrads();
      loss.backward();
      this.opt.step();
    }
  }
}

class Quiet extends Base {
  protected clipGrads() {}
}
`;
    assert.deepEqual(lines(new Analyzer('typescript'), text), []);
    // Without the parameter, the override and with the call awaited, each loop is reported.
    const plain = text
      .replace(', clipAll: (m: Module) => void', '')
      .replace('    clipLater(model);', '    await clipLater(model);')
      .replace('export function notAwaited', 'export async function notAwaited')
      .replace('class Quiet extends Base {\n  protected clipGrads() {}\n}\n', '');
    assert.deepEqual(lines(new Analyzer('typescript'), plain), ['15:CLP001', '26:CLP001', '40:CLP001']);
  });
});
