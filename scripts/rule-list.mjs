// The rule list (analysis/rules/catalogue.ts) for build scripts that run in plain Node: esbuild
// bundles the catalogue in memory and the bundle is imported, so a script reads the very list
// the analyzer runs, never a copy of it.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Every rule in code order, as `{ code, name, severity, summary }`.
 * @returns {Promise<Array<{ code: string, name: string, severity: string, summary: string }>>}
 */
export async function loadRules() {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../analysis/rules/catalogue.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    logLevel: 'silent',
  });
  const source = result.outputFiles[0].text;
  const catalogue = await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);
  return catalogue.RULES.map((/** @type {{ code: string, name: string, severity: string, summary: string }} */ rule) => ({
    code: rule.code,
    name: rule.name,
    severity: rule.severity,
    summary: rule.summary,
  }));
}
