// The TypeScript front end: fixes in TypeScript syntax, suppressions, and robustness on
// half-typed code, JSX, decorators and a large file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analyzer } from '../../analysis/analyzer';
import { applyEdits } from '../../analysis/edits';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'typescript');

function fixed(text: string, code: string): string {
  const finding = new Analyzer('typescript').analyze(text).findings.find((f) => f.code === code);
  assert.ok(finding?.fix, `no ${code} fix`);
  return applyEdits(text, finding.fix.edits);
}

const AFTER_STEP = `import { SGD, clipGradNorm_ } from 'clipwise/engine';
const optimizer = new SGD(model.parameters(), { lr: 0.1 });
for (const batch of batches) {
  optimizer.zeroGrad();
  model.forward(batch).backward();
  optimizer.step();
  if (clip) {
    clipGradNorm_(model.parameters(), 1.0);
  }
}
`;

describe('TypeScript front end', () => {
  it('moves a clip (with the if that holds it) before the step, keeping indentation and semicolons', () => {
    assert.equal(
      fixed(AFTER_STEP, 'CLP002'),
      AFTER_STEP.replace('  optimizer.step();\n  if (clip) {\n    clipGradNorm_(model.parameters(), 1.0);\n  }\n', '  if (clip) {\n    clipGradNorm_(model.parameters(), 1.0);\n  }\n  optimizer.step();\n'),
    );
  });

  it('inserts `scaler.unscale_(optimizer);` before a clip of scaled gradients', () => {
    const text = `for (const batch of batches) {\n\tscaler.scale(model.loss(batch)).backward();\n\tclipGradNorm_(model.parameters(), 1.0);\n\tscaler.step(optimizer);\n\tscaler.update();\n}\n`;
    const withImport = `import { clipGradNorm_ } from 'clipwise/engine';\n${text}`;
    assert.equal(fixed(withImport, 'CLP003'), withImport.replace('\tclipGradNorm_', '\tscaler.unscale_(optimizer);\n\tclipGradNorm_'));
  });

  it('moves zeroGrad after the step (CLP005), and the fixed file has no finding', () => {
    const text = readFileSync(join(FIXTURES, 'clp005_zero_before_step.ts'), 'utf8');
    let current = text;
    for (let i = 0; i < 3; i++) current = fixed(current, 'CLP005');
    assert.deepEqual(new Analyzer('typescript').analyze(current).findings.map((f) => f.code), []);
    assert.match(current, /optimizer\.step\(\);\n {2}optimizer\.zeroGrad\(\);/);
  });

  it('does not move a clip past a line that writes a name the clip reads', () => {
    const text = AFTER_STEP.replace('  if (clip) {\n    clipGradNorm_(model.parameters(), 1.0);\n  }\n', '  maxNorm = maxNorm * 0.5;\n  clipGradNorm_(model.parameters(), maxNorm);\n').replace('  optimizer.step();\n', '  optimizer.step();\n');
    const finding = new Analyzer('typescript').analyze(text.replace('  optimizer.step();\n  maxNorm', '  optimizer.step();\n  maxNorm')).findings.find((f) => f.code === 'CLP002');
    assert.ok(finding);
    assert.equal(finding.fix, undefined);
  });

  it('honours // clipwise-ignore-next-line CLP002 and // clipwise-ignore-file', () => {
    const next = AFTER_STEP.replace('    clipGradNorm_', '    // clipwise-ignore-next-line CLP002\n    clipGradNorm_');
    assert.deepEqual(new Analyzer('typescript').analyze(next).findings, []);
    const other = AFTER_STEP.replace('    clipGradNorm_', '    // clipwise-ignore-next-line CLP001\n    clipGradNorm_');
    assert.equal(new Analyzer('typescript').analyze(other).findings.length, 1);
    assert.deepEqual(new Analyzer('typescript').analyze(`// clipwise-ignore-file\n${AFTER_STEP}`).findings, []);
  });

  it('reads a suppression comment after a template literal with a substitution (a `}` there continues the template)', () => {
    const text = AFTER_STEP.replace('  optimizer.zeroGrad();\n', '  console.log(`batch ${batch.id}`);\n  optimizer.zeroGrad();\n').replace('    clipGradNorm_', '    // clipwise-ignore-next-line CLP002\n    clipGradNorm_').replace('  }\n}\n', '  }\n  console.log(`done`);\n}\n');
    assert.deepEqual(new Analyzer('typescript').analyze(text).findings, []);
    assert.deepEqual(new Analyzer('typescript').analyze(text.replace('// clipwise-ignore-next-line CLP002', '// a comment')).findings.map((f) => f.code), ['CLP002']);
  });

  it('analyses half-typed code: the file truncated at every line never crashes, and no finding points past the text', () => {
    const text = readFileSync(join(FIXTURES, 'clp002_clip_after_step.ts'), 'utf8');
    const lines = text.split('\n');
    const analyzer = new Analyzer('typescript');
    for (let n = 0; n <= lines.length; n++) {
      const part = lines.slice(0, n).join('\n');
      const result = analyzer.analyze(part);
      assert.equal(result.skipped, undefined, `truncated at line ${n}`);
      for (const f of result.findings) assert.ok(f.range.end.line < Math.max(n, 1), `finding past the text at ${n}`);
    }
    // The first loop is complete from line 12 on: its CLP002 is found even with the rest cut off mid-statement.
    assert.ok(analyzer.analyze(lines.slice(0, 20).join('\n') + '\n  optimizer.zero_grad(').findings.some((f) => f.code === 'CLP002' && f.range.start.line === 9));
  });

  it('reads JSX and decorators', () => {
    const jsx = `import { clipGradNorm_ } from 'clipwise/engine';\nexport function Panel() {\n  return <div onClick={() => highlightStep()}>step</div>;\n}\nfor (const b of data) {\n  optimizer.zeroGrad();\n  model.loss(b).backward();\n  optimizer.step();\n  clipGradNorm_(model.parameters(), 1);\n}\n`;
    assert.deepEqual(new Analyzer('typescript').analyze(jsx).findings.map((f) => `${f.range.start.line}:${f.code}`), ['8:CLP002']);
    const decorated = `import { clipGradNorm_ } from 'clipwise/engine';\n@injectable()\nclass T {\n  @log\n  train(@inject() optimizer: Optimizer) {\n    this.model.loss().backward();\n    optimizer.step();\n    clipGradNorm_(this.model.parameters(), 1);\n  }\n}\n`;
    assert.deepEqual(new Analyzer('typescript').analyze(decorated).findings.map((f) => `${f.range.start.line}:${f.code}`), ['7:CLP002']);
  });

  it('analyses a 10,000-line file and finds the one mistake in it', () => {
    const filler: string[] = [];
    for (let i = 0; filler.length < 10_000; i++) filler.push(`export function helper${i}(x: number): number {`, `  const y = x * ${i} + Math.sqrt(x);`, `  return y > 3 ? y : -y;`, `}`);
    const text = AFTER_STEP + filler.join('\n') + '\n';
    const result = new Analyzer('typescript').analyze(text);
    assert.deepEqual(result.findings.map((f) => `${f.range.start.line}:${f.code}`), ['7:CLP002']);
  });

  it('re-analyses edits through the incremental parser with the findings a fresh parse gives', () => {
    const text = readFileSync(join(FIXTURES, 'clp004_clip_every_microbatch.ts'), 'utf8');
    const analyzer = new Analyzer('typescript');
    const codes = (a: Analyzer, t: string) => a.analyze(t).findings.map((f) => `${f.range.start.line}:${f.code}`);
    let current = text;
    codes(analyzer, current);
    // Edits of every kind: a typed character, a deleted line, a moved clip, an undo.
    const edits = [
      (t: string) => t.replace('accumulationSteps = 4', 'accumulationSteps = 45'),
      (t: string) => t.replace('    clipGradNorm_(model.parameters(), 1.0); // expect: CLP004\n    if (++i', '    if (++i'),
      (t: string) => t.replace('    optimizer.step();\n    optimizer.zeroGrad();\n  }\n}', '    clipGradNorm_(model.parameters(), 1.0);\n    optimizer.step();\n    optimizer.zeroGrad();\n  }\n}'),
      () => text,
    ];
    for (const edit of edits) {
      current = edit(current);
      assert.deepEqual(codes(analyzer, current), codes(new Analyzer('typescript'), current));
    }
    assert.deepEqual(codes(analyzer, text).length, text.match(/expect: CLP004/g)?.length);
  });
});
