// `clipwise rule CODE` prints the rule's page for every listed rule, from the bundle alone: a
// copy of dist/cli.js in a folder with no docs/ beside it prints the same pages.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULES } from '../../analysis/rules/catalogue';
import { buildOnce, CLI, ROOT, runCli } from './run-cli';

const page = (code: string) => readFileSync(join(ROOT, 'docs', 'rules', `${code}.md`), 'utf8');

describe('clipwise rule: every listed rule has its page, bundled', function () {
  this.timeout(120000);
  let away: string;
  before(() => {
    buildOnce();
    away = mkdtempSync(join(tmpdir(), 'clipwise-cli-alone-'));
    copyFileSync(CLI, join(away, 'cli.mjs'));
  });
  after(() => rmSync(away, { recursive: true, force: true }));

  for (const rule of RULES) {
    it(`${rule.code}: by code and by name, in the checkout and from a lone copy of the bundle`, () => {
      const expected = page(rule.code);
      for (const run of [runCli(['rule', rule.code]), runCli(['rule', rule.name])]) {
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.stdout, expected);
      }
      const alone = spawnSync(process.execPath, [join(away, 'cli.mjs'), 'rule', rule.code.toLowerCase()], { cwd: away, encoding: 'utf8' });
      assert.equal(alone.status, 0, alone.stderr);
      assert.equal(alone.stdout, expected);
    });
  }

  it('an unknown rule is a usage error naming it, not an empty page', () => {
    const run = runCli(['rule', 'CLP999']);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /unknown rule "CLP999"/);
  });
});
