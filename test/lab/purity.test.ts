// webview/lab/ runs in the Lab's Web Worker, in Node for `clipwise lab` and in tests: it may
// import engine/ and its own files only, and use no Node or DOM API.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../cli/run-cli';

const LAB = join(ROOT, 'webview', 'lab');

describe('Lab core purity', () => {
  it('imports only engine/ and its own modules, and touches no Node or DOM globals', () => {
    const files = readdirSync(LAB).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 10);
    for (const file of files) {
      const text = readFileSync(join(LAB, file), 'utf8');
      const code = text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      for (const [, spec] of code.matchAll(/\bfrom\s+'([^']+)'/g)) {
        assert.ok(spec === '../../engine' || /^\.\/[\w-]+$/.test(spec), `${file} imports ${spec}`);
      }
      // Without its strings (messages, the exported Python source), the code names no host API.
      const bare = code.replace(/`(?:[^`\\]|\\.)*`/g, '``').replace(/'(?:[^'\\\n]|\\.)*'/g, "''").replace(/"(?:[^"\\\n]|\\.)*"/g, '""');
      for (const global of ['process', 'require', 'Buffer', '__dirname', 'window', 'document', 'self', 'globalThis', 'fetch', 'setTimeout', 'postMessage']) {
        assert.doesNotMatch(bare, new RegExp(`(?<![\\w.])${global}\\b`), `${file} uses ${global}`);
      }
    }
  });
});
