// `clipwise lab …` as a process: the built CLI users get.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeExperiment } from '../../webview/lab/experiment';
import { presetExperiment } from '../../webview/lab/presets';
import { runToEnd } from '../../webview/lab/runner';
import { formatJson, tableFromResult } from '../../webview/lab/table';
import { buildOnce, runCli } from '../cli/run-cli';

describe('clipwise lab (as a process)', function () {
  this.timeout(60_000);
  let work: string;
  before(() => {
    buildOnce();
    work = mkdtempSync(join(tmpdir(), 'clipwise-lab-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('lab presets lists the three presets', () => {
    const run = runCli(['lab', 'presets']);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(
      run.stdout.split('\n').filter((l) => /^\S/.test(l)).map((l) => l.split(/\s+/)[0]),
      ['exploding-rnn', 'deep-mlp', 'pytorch-docs'],
    );
  });

  it('lab run --preset prints the table; a saved experiment file prints the same; json is what the core computes', () => {
    const text = runCli(['lab', 'run', '--preset', 'pytorch-docs']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^# Linear\(2, 1\)/);
    assert.equal(text.stdout.trimEnd().split('\n').length, 4 + 30);
    const file = join(work, 'docs.json');
    writeFileSync(file, serializeExperiment(presetExperiment('pytorch-docs')));
    assert.equal(runCli(['lab', 'run', file]).stdout, text.stdout);
    const json = runCli(['lab', 'run', file, '--format', 'json']);
    const e = presetExperiment('pytorch-docs');
    assert.equal(json.stdout, formatJson(tableFromResult(e, runToEnd(e))));
    const csv = runCli(['lab', 'run', '--preset', 'pytorch-docs', '--format=csv']);
    assert.match(csv.stdout, /^step,a_loss,a_norm_before,a_norm_after,a_update_size,b_loss,/);
  });

  it('a diverging run is a result: exit 0 with the reason in the table', () => {
    const run = runCli(['lab', 'run', '--preset', 'deep-mlp']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^# A stopped at step \d+: the (loss|parameters) became/m);
  });

  it('export-pytorch prints a standalone torch script', () => {
    const run = runCli(['lab', 'export-pytorch', '--preset', 'exploding-rnn']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^#!\/usr\/bin\/env python3\n/);
    assert.match(run.stdout, /^import torch$/m);
    assert.match(run.stdout, /torch\.nn\.utils\.clip_grad_norm_\(model\.parameters\(\), max_norm=0\.05\)/);
    assert.doesNotMatch(run.stdout, /^(import|from) (?!torch|argparse|json|math)/m);
  });

  it('exits 2 with a clear message on bad input', () => {
    const bad = (args: string[], message: RegExp, stdin?: string) => {
      const file = join(work, 'bad.json');
      if (stdin !== undefined) writeFileSync(file, stdin);
      const run = runCli(args.map((a) => (a === 'BAD' ? file : a)));
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stdout}`);
      assert.match(run.stderr, message);
    };
    bad(['lab', 'run'], /give an experiment file \(EXPERIMENT\.json\) or --preset NAME/);
    bad(['lab', 'run', join(work, 'missing.json')], /cannot read .*missing\.json: ENOENT/);
    bad(['lab', 'run', 'BAD'], /not valid JSON/, '{ "version": 1,');
    bad(['lab', 'run', 'BAD'], /not a valid experiment:\n {2}model\.preset: unknown model preset "lstm"/, JSON.stringify({ ...presetExperiment('deep-mlp'), model: { preset: 'lstm' } }));
    bad(['lab', 'run', 'BAD'], /steps: must be a whole number from 1 to 10000, got -1/, JSON.stringify({ ...presetExperiment('deep-mlp'), steps: -1 }));
    bad(['lab', 'run', '--preset', 'resnet'], /unknown preset "resnet" \(exploding-rnn, deep-mlp, pytorch-docs\)/);
    bad(['lab', 'run', 'BAD', '--preset', 'deep-mlp'], /not both/);
    bad(['lab', 'run', '--preset', 'deep-mlp', '--format', 'xml'], /unknown format "xml" \(text, csv, json\)/);
    bad(['lab', 'export-pytorch', '--preset', 'deep-mlp', '--format', 'json'], /Unknown option '--format'/);
    bad(['lab', 'train'], /unknown lab command "train"/);
    bad(['lab'], /^$/);
  });

  it('clipwise --help lists the lab commands', () => {
    const run = runCli(['--help']);
    assert.match(run.stdout, /clipwise lab run \(EXPERIMENT\.json \| --preset NAME\) \[--format text\|csv\|json\]/);
    assert.match(run.stdout, /clipwise lab presets/);
    assert.match(run.stdout, /clipwise lab export-pytorch/);
  });
});
