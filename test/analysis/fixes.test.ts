// Fixes: every offered fix re-parses and re-analyses with its finding gone and nothing new;
// applying all fixes twice changes nothing the second time; and the edits read as a person
// would write them (before/after text for each kind of fix).
import assert from 'node:assert/strict';
import { Analyzer } from '../../analysis/analyzer';
import { applyEdits } from '../../analysis/edits';
import { fixPython } from '../../server/workspace/fix-file';
import { loadFixtures } from './fixture-expectations';

const dedent = (s: string) => {
  const lines = s.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
};

function fixOnce(before: string, code: string): string {
  const analyzer = new Analyzer();
  const finding = analyzer.analyze(before).findings.find((f) => f.code === code);
  assert.ok(finding, `no ${code} finding in:\n${before}`);
  assert.ok(finding.fix, `${code} has no fix`);
  assert.ok(analyzer.verifyFix(before, finding), `${code} fix does not verify`);
  return applyEdits(before, finding.fix.edits);
}

describe('fixes on every fixture finding', () => {
  for (const fixture of loadFixtures()) {
    it(`${fixture.name}: each fix verifies, fix-all is idempotent`, () => {
      const analyzer = new Analyzer();
      const findings = analyzer.analyze(fixture.text).findings;
      for (const finding of findings.filter((f) => f.fix?.safe)) {
        assert.ok(analyzer.verifyFix(fixture.text, finding), `${finding.code} at line ${finding.range.start.line + 1}: fix does not verify`);
      }
      const once = fixPython(fixture.text);
      const twice = fixPython(once.text);
      assert.equal(twice.applied.length, 0, `second fix-all still applied ${twice.applied.map((a) => a.code).join(', ')}`);
      assert.equal(twice.text, once.text);
      const after = new Analyzer().analyze(once.text);
      assert.equal(after.findings.filter((f) => f.fix?.safe).length, 0, 'safe fixes left after fix-all');
    });
  }
});

describe('fix text', () => {
  it('CLP001 moves the clip (with its guard) directly before the step', () => {
    const before = dedent(`
      for batch in loader:
          if args.clip:  # clip when asked
              torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
          loss = model(batch)
          loss.backward()
          optimizer.step()
          optimizer.zero_grad()
    `);
    assert.equal(
      fixOnce(before, 'CLP001'),
      dedent(`
      for batch in loader:
          loss = model(batch)
          loss.backward()
          if args.clip:  # clip when asked
              torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
          optimizer.step()
          optimizer.zero_grad()
    `),
    );
  });

  it('CLP002 moves the clip up before the step, keeping its comment', () => {
    const before = dedent(`
      def train(model, loader, optimizer):
          for batch in loader:
              optimizer.zero_grad()
              model(batch).backward()
              optimizer.step()
              torch.nn.utils.clip_grad_norm_(
                  model.parameters(),
                  max_norm=1.0,
              )  # keep the norm small
    `);
    assert.equal(
      fixOnce(before, 'CLP002'),
      dedent(`
      def train(model, loader, optimizer):
          for batch in loader:
              optimizer.zero_grad()
              model(batch).backward()
              torch.nn.utils.clip_grad_norm_(
                  model.parameters(),
                  max_norm=1.0,
              )  # keep the norm small
              optimizer.step()
    `),
    );
  });

  it('CLP003 inserts unscale_ with the names the code uses', () => {
    const before = dedent(`
      grad_scaler = torch.cuda.amp.GradScaler()
      for batch in loader:
          grad_scaler.scale(model(batch)).backward()
          torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
          grad_scaler.step(opt)
          grad_scaler.update()
          opt.zero_grad()
    `);
    assert.equal(
      fixOnce(before, 'CLP003'),
      dedent(`
      grad_scaler = torch.cuda.amp.GradScaler()
      for batch in loader:
          grad_scaler.scale(model(batch)).backward()
          grad_scaler.unscale_(opt)
          torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
          grad_scaler.step(opt)
          grad_scaler.update()
          opt.zero_grad()
    `),
    );
  });

  it('CLP004 moves the clip into the accumulation guard', () => {
    const before = dedent(`
      for i, batch in enumerate(loader):
          model(batch).backward()
          torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
          if (i + 1) % k == 0:
              optimizer.step()
              optimizer.zero_grad()
    `);
    assert.equal(
      fixOnce(before, 'CLP004'),
      dedent(`
      for i, batch in enumerate(loader):
          model(batch).backward()
          if (i + 1) % k == 0:
              torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
              optimizer.step()
              optimizer.zero_grad()
    `),
    );
  });

  it('CLP004 under accelerator.accumulate wraps the clip in sync_gradients', () => {
    const before = dedent(`
      for batch in loader:
          with accelerator.accumulate(model):
              accelerator.backward(model(batch))
              accelerator.clip_grad_norm_(model.parameters(), 1.0)
              optimizer.step()
              optimizer.zero_grad()
    `);
    assert.equal(
      fixOnce(before, 'CLP004'),
      dedent(`
      for batch in loader:
          with accelerator.accumulate(model):
              accelerator.backward(model(batch))
              if accelerator.sync_gradients:
                  accelerator.clip_grad_norm_(model.parameters(), 1.0)
              optimizer.step()
              optimizer.zero_grad()
    `),
    );
  });

  it('CLP005 moves zero_grad after the step', () => {
    const before = dedent(`
      for batch in loader:
          model(batch).backward()
          optimizer.zero_grad()
          optimizer.step()
    `);
    assert.equal(
      fixOnce(before, 'CLP005'),
      dedent(`
      for batch in loader:
          model(batch).backward()
          optimizer.step()
          optimizer.zero_grad()
    `),
    );
  });

  it('CLP006 renames the import and every use of an imported deprecated name', () => {
    const before = dedent(`
      from torch.nn.utils import clip_grad_norm
      def step(model, opt):
          model.loss().backward()
          clip_grad_norm(model.parameters(), 1.0)
          opt.step()
    `);
    assert.equal(
      fixOnce(before, 'CLP006'),
      dedent(`
      from torch.nn.utils import clip_grad_norm_
      def step(model, opt):
          model.loss().backward()
          clip_grad_norm_(model.parameters(), 1.0)
          opt.step()
    `),
    );
  });

  it('CLP009 passes .parameters(), makes one-shot iterators lists, and calls the right function', () => {
    const moduleArg = dedent(`
      model = torch.nn.Linear(2, 1)
      model(x).sum().backward()
      torch.nn.utils.clip_grad_norm_(model, 1.0)
      opt.step()
    `);
    assert.match(fixOnce(moduleArg, 'CLP009'), /clip_grad_norm_\(model\.parameters\(\), 1\.0\)/);
    const generator = dedent(`
      params = (p for p in model.parameters() if p.requires_grad)
      opt = torch.optim.SGD(params, lr=0.1)
      model(x).sum().backward()
      torch.nn.utils.clip_grad_norm_(params, 1.0)
      opt.step()
    `);
    assert.match(fixOnce(generator, 'CLP009'), /^params = list\(p for p in model\.parameters\(\) if p\.requires_grad\)$/m);
    const keyword = dedent(`
      model(x).sum().backward()
      torch.nn.utils.clip_grad_value_(model.parameters(), max_norm=1.0)
      opt.step()
    `);
    assert.match(fixOnce(keyword, 'CLP009'), /torch\.nn\.utils\.clip_grad_norm_\(model\.parameters\(\), max_norm=1\.0\)/);
    // An imported name used correctly elsewhere: only this call changes, the other function is imported alongside.
    const imported = dedent(`
      from torch.nn.utils.clip_grad import clip_grad_value_ as cgv

      def value_clip(model, opt):
          model(x).sum().backward()
          cgv(model.parameters(), clip_value=0.5)
          opt.step()

      def misuse(model, opt):
          model(x).sum().backward()
          cgv(model.parameters(), max_norm=1.0)
          opt.step()
    `);
    const fixed = fixOnce(imported, 'CLP009');
    assert.match(fixed, /^from torch\.nn\.utils\.clip_grad import clip_grad_value_ as cgv, clip_grad_norm_$/m);
    assert.match(fixed, /^    cgv\(model\.parameters\(\), clip_value=0\.5\)$/m);
    assert.match(fixed, /^    clip_grad_norm_\(model\.parameters\(\), max_norm=1\.0\)$/m);
  });

  it('a clip moved down under a GradScaler brings the unscale_ before it along, never a second one', () => {
    const before = dedent(`
      for x, y in loader:
          optimizer.zero_grad()
          loss, aux = model(x, y)
          scaler.scale(loss).backward(retain_graph=True)
          scaler.unscale_(optimizer)
          torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
          scaler.scale(aux).backward()
          scaler.step(optimizer)
          scaler.update()
    `);
    const fixed = fixOnce(before, 'CLP001');
    assert.equal(fixed.match(/unscale_/g)?.length, 1);
    assert.match(fixed, /scaler\.scale\(aux\)\.backward\(\)\n    scaler\.unscale_\(optimizer\)\n    torch\.nn\.utils\.clip_grad_norm_\(model\.parameters\(\), 1\.0\)\n    scaler\.step\(optimizer\)/);
  });

  it('offers no move that would change what the moved or passed lines read', () => {
    // The clip's result is read between it and the step: moving it down would read it unset.
    const result = dedent(`
      for i, batch in enumerate(loader):
          loss = model(batch) / accum
          loss.backward()
          grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
          if not torch.isfinite(grad_norm):
              continue
          if (i + 1) % accum == 0:
              optimizer.step()
              optimizer.zero_grad()
    `);
    const finding = new Analyzer().analyze(result).findings.find((f) => f.code === 'CLP004');
    assert.ok(finding && !finding.fix, 'CLP004 reported without a fix');
    // The parameters are computed between the step and the clip: moving the clip up would use them unset.
    const params = dedent(`
      for batch in loader:
          optimizer.zero_grad()
          model(batch).backward()
          optimizer.step()
          params = [p for p in model.parameters() if p.grad is not None]
          torch.nn.utils.clip_grad_norm_(params, 1.0)
    `);
    const late = new Analyzer().analyze(params).findings.find((f) => f.code === 'CLP002');
    assert.ok(late && !late.fix, 'CLP002 reported without a fix');
  });

  it('CLP003 moves an unscale_ that runs before the backward, never adds a second one (a second unscale_ per step raises)', () => {
    const before = dedent(`
      for batch in loader:
          optimizer.zero_grad()
          scaler.unscale_(optimizer)
          scaler.scale(model(batch)).backward()
          torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
          scaler.step(optimizer)
          scaler.update()
    `);
    const fixed = fixOnce(before, 'CLP003');
    assert.equal(fixed.match(/unscale_/g)?.length, 1);
    assert.match(fixed, /\.backward\(\)\n    scaler\.unscale_\(optimizer\)\n    torch\.nn\.utils\.clip_grad_norm_/);
  });

  it('a move never crosses a statement that writes a name the moved statement reads', () => {
    // After the move every step would clip at half the norm.
    const halved = dedent(`
      for batch in loader:
          optimizer.zero_grad()
          torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
          max_norm = max_norm * 0.5
          loss = model(batch)
          loss.backward()
          optimizer.step()
    `);
    const early = new Analyzer().analyze(halved).findings.find((f) => f.code === 'CLP001');
    assert.ok(early && !early.fix, 'CLP001 reported without a fix');
    // An augmented assignment to the clip's argument, passed on the way up.
    const augmented = dedent(`
      for batch in loader:
          optimizer.zero_grad()
          model(batch).backward()
          optimizer.step()
          clip_value += 1
          torch.nn.utils.clip_grad_value_(model.parameters(), clip_value)
    `);
    const late = new Analyzer().analyze(augmented).findings.find((f) => f.code === 'CLP002');
    assert.ok(late && !late.fix, 'CLP002 reported without a fix');
    // Lines that touch nothing the clip reads are passed as before.
    const harmless = halved.replace('max_norm = max_norm * 0.5', 'log.info("step")');
    assert.match(fixOnce(harmless, 'CLP001'), /loss\.backward\(\)\n    torch\.nn\.utils\.clip_grad_norm_\(model\.parameters\(\), max_norm\)\n    optimizer\.step\(\)/);
  });

  it('CLP006 renames only into a name no binding of the module already holds', () => {
    const base = (binding: string) => dedent(`
      from torch.nn.utils import clip_grad_norm
      ${binding}

      for batch in loader:
          optimizer.zero_grad()
          model(batch).backward()
          clip_grad_norm(model.parameters(), 1.0)
          optimizer.step()
    `);
    for (const binding of ['clip_grad_norm_ = None', 'for clip_grad_norm_ in hooks: pass', 'import helpers as clip_grad_norm_', 'def clip_grad_norm_(p, n): pass']) {
      const finding = new Analyzer().analyze(base(binding)).findings.find((f) => f.code === 'CLP006');
      assert.ok(finding, `CLP006 reported with ${binding}`);
      assert.ok(!finding.fix?.edits.some((e) => e.newText === 'clip_grad_norm_' && e.range.start.line > 0), `no rename into a bound name: ${binding}`);
    }
    assert.match(fixOnce(base('x = None'), 'CLP006'), /^    clip_grad_norm_\(model\.parameters\(\), 1\.0\)$/m);
  });

  it('CLP011 switches to the accelerator clip', () => {
    const before = dedent(`
      for batch in loader:
          accelerator.backward(model(batch))
          torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
          optimizer.step()
          optimizer.zero_grad()
    `);
    assert.match(fixOnce(before, 'CLP011'), /^    accelerator\.clip_grad_norm_\(model\.parameters\(\), 1\.0\)$/m);
  });
});
