// The server explains every listed rule with its page (the Lab's stand-in and hovers ask for
// it), from the bundled server alone.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES } from '../../analysis/rules/catalogue';
import { EXPLAIN_REQUEST, type ExplainParams } from '../../server/protocol';
import { LspClient, serverForSuite } from './lspClient';

const ROOT = join(import.meta.dirname, '..', '..');

describe('protocol: clipwise/explain for every listed rule', function () {
  let client: LspClient;
  serverForSuite((started) => (client = started));

  for (const rule of RULES) {
    it(`${rule.code}: its summary, default severity, whole page and link`, async () => {
      const page = readFileSync(join(ROOT, 'docs', 'rules', `${rule.code}.md`), 'utf8');
      const params: ExplainParams = { uri: pathToFileURL(join(ROOT, 'not-open.py')).href, position: { line: 0, character: 0 }, code: rule.code };
      const markdown = (await client.connection.sendRequest(EXPLAIN_REQUEST, params)) as string | null;
      assert.ok(markdown, 'an explanation');
      assert.ok(markdown.startsWith(`# ${rule.code} · ${rule.name}\n\n${rule.summary}\n\nDefault severity: ${rule.severity}.`), markdown.slice(0, 200));
      // The page without its title line, as written.
      assert.ok(markdown.includes(page.replace(/^#[^\n]*\n/, '').trim()), `${rule.code}.md is in the explanation`);
      assert.ok(markdown.endsWith(`[Documentation](https://github.com/clipwise/clipwise/blob/main/docs/rules/${rule.code}.md)`));
    });
  }

  it('an unknown code has no explanation', async () => {
    const params: ExplainParams = { uri: pathToFileURL(join(ROOT, 'not-open.py')).href, position: { line: 0, character: 0 }, code: 'CLP999' };
    assert.equal(await client.connection.sendRequest(EXPLAIN_REQUEST, params), null);
  });
});
