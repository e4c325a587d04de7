// A new rule needs only its file and the rule list: everything else that names the rules (the
// RuleCode type, the settings schema in package.json, the pages in docs/rules, `clipwise rules`)
// follows from the list, or a test here says what is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES, RULES_BY_CODE, RULE_CODES } from '../../analysis/rules/catalogue';
import type { Rule } from '../../analysis/rules/rule';

const ROOT = join(import.meta.dirname, '..', '..');
const RULES_DIR = join(ROOT, 'analysis', 'rules');
const DOCS = join(ROOT, 'docs', 'rules');
const GENERATOR = join(ROOT, 'scripts', 'rule-settings.mjs');

function isRule(value: unknown): value is Rule {
  const v = value as Partial<Rule> | null;
  return typeof v === 'object' && v !== null && typeof v.code === 'string' && typeof v.name === 'string' && typeof v.check === 'function';
}

function ruleSettings(pkg: string): Record<string, { type?: string; enum?: string[]; markdownDescription?: string }> {
  const parsed = JSON.parse(pkg) as { contributes: { configuration: { properties: Record<string, { properties?: Record<string, never> }> } } };
  return parsed.contributes.configuration.properties['clipwise.rules'].properties ?? {};
}

function generator(args: string[]): { status: number | null; stderr: string } {
  const run = spawnSync(process.execPath, [GENERATOR, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr };
}

describe('the rule list is the one place a rule is named', () => {
  it('lists each rule once, under its own code, in code order', () => {
    for (const [key, rule] of Object.entries(RULES_BY_CODE)) assert.equal(rule.code, key, `${rule.name} is listed under ${key}`);
    assert.deepEqual(RULE_CODES, RULES.map((r) => r.code));
    assert.deepEqual([...RULE_CODES].sort(), [...RULE_CODES], 'codes in order');
    assert.equal(new Set(RULE_CODES).size, RULES.length, 'no code twice');
    assert.equal(new Set(RULES.map((r) => r.name)).size, RULES.length, 'no name twice');
    for (const rule of RULES) {
      assert.match(rule.code, /^CLP\d{3}$/);
      assert.match(rule.name, /^[a-z]+(-[a-z]+)*$/);
      assert.ok(['error', 'warning', 'info'].includes(rule.severity), `${rule.code} severity ${rule.severity}`);
      assert.ok(rule.summary.length > 20, `${rule.code} has a summary`);
    }
  });

  it('a new rule needs only its file and the list: every rule file analysis/rules/clpNNN-name.ts is listed', async () => {
    const files = readdirSync(RULES_DIR).filter((f) => /^clp\d{3}-.*\.ts$/.test(f)).sort();
    assert.ok(files.length > 0);
    const found: string[] = [];
    for (const file of files) {
      // Loaded on its own (the test runner may give it a module instance apart from the list's):
      // the listed rule is the one with the same code, name, severity and summary.
      const exports = Object.values((await import(pathToFileURL(join(RULES_DIR, file)).href)) as Record<string, unknown>).filter(isRule);
      assert.equal(exports.length, 1, `${file} exports one rule (found ${exports.length})`);
      const [rule] = exports;
      const listed = RULES.find((r) => r.code === rule.code);
      assert.ok(listed, `${file} exports ${rule.code} (${rule.name}) but analysis/rules/catalogue.ts does not list it`);
      assert.deepEqual([listed.name, listed.severity, listed.summary], [rule.name, rule.severity, rule.summary], `${rule.code} in the list is the rule ${file} exports`);
      assert.equal(file, `${rule.code.toLowerCase()}-${rule.name}.ts`, 'the file is named after its code and name');
      found.push(rule.code);
    }
    assert.deepEqual(found, [...RULE_CODES], 'every listed rule has its own file');
  });

  it('every listed rule has its page in docs/rules, titled with its code and name and stating its severity and fix', () => {
    const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md')).sort();
    assert.deepEqual(pages, RULE_CODES.map((code) => `${code}.md`), 'one page per rule, none for a rule that is not listed');
    for (const rule of RULES) {
      const lines = readFileSync(join(DOCS, `${rule.code}.md`), 'utf8').split('\n');
      assert.equal(lines[0], `# ${rule.code} — ${rule.name}`);
      assert.match(lines[2], new RegExp(`^Severity: ${rule.severity} · Fix: \\S`), `${rule.code}.md line 3`);
    }
  });

  it('every listed rule has its setting in package.json, written from the list', () => {
    const settings = ruleSettings(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.deepEqual(Object.keys(settings), [...RULE_CODES]);
    for (const rule of RULES) {
      const entry = settings[rule.code];
      assert.equal(entry.type, 'string');
      assert.deepEqual(entry.enum, ['off', 'info', 'warning', 'error']);
      assert.equal(entry.markdownDescription, `\`${rule.name}\` (default: ${rule.severity}). ${rule.summary}`);
    }
  });

  it('scripts/rules-table.mjs prints the README rules table: one row per listed rule, its fix from its page, — where none', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'rules-table.mjs')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const rows = run.stdout.trim().split('\n').slice(2);
    assert.equal(rows.length, RULES.length);
    RULES.forEach((rule, i) => {
      const fix = readFileSync(join(DOCS, `${rule.code}.md`), 'utf8').split('\n')[2].replace(/^.*· Fix: /, '');
      const cells = rows[i].split(' | ');
      assert.deepEqual(cells.slice(0, 4), [`| [${rule.code}](docs/rules/${rule.code}.md)`, rule.name, rule.severity, rule.summary]);
      assert.equal(cells[4].startsWith('—'), fix.startsWith('none'), `${rule.code}: "${cells[4]}" for "${fix}"`);
    });
  });

  describe('scripts/rule-settings.mjs (run by npm run build)', () => {
    let work: string;
    before(() => (work = mkdtempSync(join(tmpdir(), 'clipwise-rule-settings-'))));
    after(() => rmSync(work, { recursive: true, force: true }));

    it('finds the committed package.json current', () => {
      const run = generator(['--check']);
      assert.equal(run.status, 0, run.stderr);
    });

    it('says a package.json is stale when a listed rule has no setting or a setting is out of date, and rewrites only the rule settings', () => {
      const original = readFileSync(join(ROOT, 'package.json'), 'utf8');
      const pkg = JSON.parse(original) as { contributes: { configuration: { properties: Record<string, { properties: Record<string, { markdownDescription: string }> }> } } };
      const rules = pkg.contributes.configuration.properties['clipwise.rules'].properties;
      const last = RULE_CODES[RULE_CODES.length - 1];
      delete rules[last];
      rules[RULE_CODES[0]].markdownDescription = 'an old description';
      const stale = join(work, 'package.json');
      writeFileSync(stale, JSON.stringify(pkg, null, 2) + '\n');

      const check = generator(['--check', stale]);
      assert.equal(check.status, 1);
      assert.match(check.stderr, /not what the rule list says/);
      assert.equal(JSON.parse(readFileSync(stale, 'utf8')).contributes.configuration.properties['clipwise.rules'].properties[last], undefined, '--check changes nothing');

      assert.equal(generator([stale]).status, 0);
      assert.equal(readFileSync(stale, 'utf8'), original);
      assert.equal(generator(['--check', stale]).status, 0);
    });

    it('refuses, with a reason, a package.json without the clipwise.rules setting', () => {
      const broken = join(work, 'no-rules.json');
      copyFileSync(join(ROOT, 'package.json'), broken);
      const pkg = JSON.parse(readFileSync(broken, 'utf8')) as { contributes: { configuration: { properties: Record<string, unknown> } } };
      delete pkg.contributes.configuration.properties['clipwise.rules'];
      writeFileSync(broken, JSON.stringify(pkg, null, 2) + '\n');
      const run = generator([broken]);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /clipwise\.rules/);
    });
  });
});
