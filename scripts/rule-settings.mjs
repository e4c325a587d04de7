// The per-rule settings in package.json (`clipwise.rules` → one property per rule, under
// contributes.configuration) are written from the rule list, so a new rule gets its setting
// without anyone editing package.json. `npm run build` runs this; a test checks that the
// committed package.json is what it would write.
//
//   node scripts/rule-settings.mjs            rewrite package.json when it is not current
//   node scripts/rule-settings.mjs --check    exit 1 (changing nothing) when it is not current
//   … [PACKAGE_JSON]                          another package.json (tests use a copy)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRules, ROOT } from './rule-list.mjs';

/** The settings a rule accepts: a severity, or off. */
export const RULE_SETTING_VALUES = ['off', 'info', 'warning', 'error'];

/**
 * The JSON schema properties of `clipwise.rules`: one entry per rule, in code order.
 * @param {Array<{ code: string, name: string, severity: string, summary: string }>} rules
 */
export function ruleSettingsSchema(rules) {
  /** @type {Record<string, unknown>} */
  const properties = {};
  for (const rule of rules) {
    properties[rule.code] = {
      type: 'string',
      enum: RULE_SETTING_VALUES,
      markdownDescription: `\`${rule.name}\` (default: ${rule.severity}). ${rule.summary}`,
    };
  }
  return properties;
}

/**
 * package.json's text with the rule settings replaced by the generated ones (all else kept).
 * @param {string} text
 * @param {Array<{ code: string, name: string, severity: string, summary: string }>} rules
 */
export function withRuleSettings(text, rules) {
  const pkg = JSON.parse(text);
  const setting = pkg.contributes?.configuration?.properties?.['clipwise.rules'];
  if (!setting || typeof setting !== 'object') throw new Error('package.json has no contributes.configuration.properties["clipwise.rules"] to fill');
  setting.properties = ruleSettingsSchema(rules);
  return JSON.stringify(pkg, null, 2) + '\n';
}

/**
 * Brings a package.json's rule settings up to date (or only compares, with `check`).
 * @param {{ packagePath?: string, check?: boolean }} [options]
 * @returns {Promise<{ current: boolean, packagePath: string }>}
 */
export async function updateRuleSettings({ packagePath = join(ROOT, 'package.json'), check = false } = {}) {
  const text = readFileSync(packagePath, 'utf8');
  const next = withRuleSettings(text, await loadRules());
  const current = next === text;
  if (!current && !check) writeFileSync(packagePath, next);
  return { current, packagePath };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const packagePath = args.find((a) => !a.startsWith('--'));
  try {
    const { current, packagePath: path } = await updateRuleSettings({ packagePath, check });
    if (check && !current) {
      process.stderr.write(`${path}: the per-rule settings (clipwise.rules) are not what the rule list says; run \`npm run build\` (or node scripts/rule-settings.mjs) and commit package.json\n`);
      process.exitCode = 1;
    } else if (!check && !current) {
      process.stdout.write(`${path}: per-rule settings written from the rule list\n`);
    }
  } catch (error) {
    process.stderr.write(`rule-settings: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
