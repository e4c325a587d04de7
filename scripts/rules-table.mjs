// Prints the README's rules table from the rule list and each rule's page: code (linked to its
// page), name, default severity, what it reports (the rule's summary) and its fix (the page's
// "Fix:" line; "none" when no fix is offered).
//
//   node scripts/rules-table.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRules, ROOT } from './rule-list.mjs';

/**
 * The fix a rule's page states on its third line, `Severity: … · Fix: …`.
 * @param {string} code
 */
export function pageFix(code) {
  const page = readFileSync(join(ROOT, 'docs', 'rules', `${code}.md`), 'utf8');
  const line = page.split('\n').find((l) => l.startsWith('Severity:'));
  const fix = line?.match(/·\s*Fix:\s*(.+)$/)?.[1].trim();
  if (!fix) throw new Error(`docs/rules/${code}.md has no "Severity: … · Fix: …" line`);
  return fix;
}

/** @param {string} text */
function cell(text) {
  return text.replace(/\|/g, '\\|');
}

/** The Markdown table, one row per rule in code order. */
export async function rulesTable() {
  const rows = ['| code | name | severity | what it reports | fix |', '|---|---|---|---|---|'];
  for (const rule of await loadRules()) {
    const fix = pageFix(rule.code);
    const fixCell = /^none\b/i.test(fix) ? `— (${fix.replace(/^none\s*/i, '').replace(/^\((.*)\)$/, '$1') || 'none'})` : fix;
    rows.push(`| [${rule.code}](docs/rules/${rule.code}.md) | ${rule.name} | ${rule.severity} | ${cell(rule.summary)} | ${cell(fixCell)} |`);
  }
  return rows.join('\n') + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(await rulesTable());
