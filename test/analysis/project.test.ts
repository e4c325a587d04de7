// Analysis across files: helpers, base classes, wrappers and factories in other modules of the
// project count like same-file ones; findings are reported where they belong (once); cycles end;
// each module is read once; an edit to an imported module changes its importers' findings.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Analyzer } from '../../analysis/analyzer';
import type { ProjectHost } from '../../analysis/project/host';
import { ProjectIndex } from '../../analysis/project/project-index';

const PROJECTS = join(import.meta.dirname, '..', 'fixtures', 'projects');

/** A project held in memory, by absolute `/` path (what the editor's open documents are to the index). */
class MemoryHost implements ProjectHost {
  reads = 0;
  constructor(readonly files: Map<string, string>) {}
  readFile(path: string): string | undefined {
    this.reads++;
    return this.files.get(path);
  }
  kind(path: string): 'file' | 'directory' | undefined {
    if (this.files.has(path)) return 'file';
    const prefix = path.endsWith('/') ? path : path + '/';
    for (const file of this.files.keys()) if (file.startsWith(prefix)) return 'directory';
    return undefined;
  }
}

function loadProject(name: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(`/project/${name}/${path.slice(join(PROJECTS, name).length + 1).split(/[\\/]/).join('/')}`, readFileSync(path, 'utf8'));
    }
  };
  walk(join(PROJECTS, name));
  return files;
}

function expected(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const match = /#\s*expect:\s*([A-Z0-9,\s]+)$/.exec(line);
    if (match) for (const code of match[1].split(/[\s,]+/).filter(Boolean)) out.push(`${i + 1}:${code}`);
  });
  return out.sort();
}

function findings(index: ProjectIndex, files: Map<string, string>, path: string, analyzer = new Analyzer()): string[] {
  return analyzer.analyze(files.get(path)!, { project: index.context(path) }).findings.map((f) => `${f.range.start.line + 1}:${f.code}`).sort();
}

describe('analysis across files', () => {
  for (const name of readdirSync(PROJECTS)) {
    describe(`project ${name}`, () => {
      const files = loadProject(name);
      for (const path of [...files.keys()].filter((p) => p.endsWith('.py'))) {
        it(path.slice(`/project/${name}/`.length), () => {
          const index = new ProjectIndex(new MemoryHost(files));
          assert.deepEqual(findings(index, files, path), expected(files.get(path)!));
        });
      }
    });
  }

  it('reads and parses each module once, however many files import it', () => {
    const files = loadProject('src_layout');
    const host = new MemoryHost(files);
    const index = new ProjectIndex(host);
    for (const path of files.keys()) if (path.endsWith('.py')) findings(index, files, path);
    const modules = [...files.keys()].filter((p) => p.endsWith('.py')).length;
    assert.ok(index.modulesRead <= modules, `${index.modulesRead} modules read for ${modules} files`);
    assert.ok(host.reads <= modules + 2, `${host.reads} reads`);
  });

  it('without the project, the imported helper is unknown and nothing is reported', () => {
    const files = loadProject('helpers');
    const text = files.get('/project/helpers/train.py')!;
    assert.deepEqual(new Analyzer().analyze(text).findings.map((f) => f.code), []);
  });

  it('a mistake inside a helper of another file is reported in that file, not again at its callers', () => {
    const files = loadProject('helpers');
    const index = new ProjectIndex(new MemoryHost(files));
    const utils = findings(index, files, '/project/helpers/utils.py');
    assert.ok(utils.includes('11:CLP002'), utils.join());
    const train = new Analyzer().analyze(files.get('/project/helpers/train.py')!, { project: index.context('/project/helpers/train.py') });
    const line = files.get('/project/helpers/train.py')!.split('\n').findIndex((l) => l.includes('bad_step(model, model(batch)'));
    assert.ok(line > 0);
    assert.deepEqual(train.findings.filter((f) => f.range.start.line === line), []);
  });

  it('related locations point into the file the helper is in', () => {
    const files = loadProject('helpers');
    const index = new ProjectIndex(new MemoryHost(files));
    const result = new Analyzer().analyze(files.get('/project/helpers/train.py')!, { project: index.context('/project/helpers/train.py') });
    const clipAll = result.findings.find((f) => f.range.start.line === 10)!;
    const inside = clipAll.related.find((r) => r.file === '/project/helpers/utils.py');
    assert.ok(inside, JSON.stringify(clipAll.related));
    assert.equal(inside.range.start.line, 4);
  });

  it('an edit to an imported module changes its importer, and the importer is known to read it', () => {
    const files = new Map([
      ['/w/pyproject.toml', ''],
      ['/w/helpers.py', 'import torch\n\ndef clip(model):\n    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n'],
      ['/w/train.py', 'from helpers import clip\n\ndef train(model, loader, opt):\n    for b in loader:\n        model(b).backward()\n        opt.step()\n        clip(model)\n        opt.zero_grad()\n'],
      ['/w/other.py', 'import torch\n'],
    ]);
    const host = new MemoryHost(files);
    const index = new ProjectIndex(host);
    const analyzer = new Analyzer();
    assert.deepEqual(findings(index, files, '/w/train.py', analyzer), ['7:CLP002']);
    assert.deepEqual(index.importersOf(['/w/helpers.py'], ['/w/train.py', '/w/other.py', '/w/helpers.py']), ['/w/train.py']);
    // The helper no longer clips: the same analyzer (with its unit cache) sees the change.
    files.set('/w/helpers.py', 'import torch\n\ndef clip(model):\n    print(model)\n');
    assert.equal(index.invalidate('/w/helpers.py'), true);
    assert.deepEqual(findings(index, files, '/w/train.py', analyzer), []);
    // An unchanged text is no change.
    assert.equal(index.invalidate('/w/helpers.py'), false);
  });

  it('relative imports, packages and import cycles resolve and end', () => {
    const files = new Map([
      ['/r/setup.py', ''],
      ['/r/pkg/__init__.py', 'from .a import helper\n'],
      ['/r/pkg/a.py', 'import torch\nfrom . import b\nfrom .b import other\n\ndef helper(model):\n    other(model)\n'],
      ['/r/pkg/b.py', 'import torch\nfrom .a import helper\nfrom pkg import a\n\ndef other(model):\n    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n'],
      ['/r/run.py', 'from pkg import helper\n\ndef go(model, loader, opt):\n    for x in loader:\n        model(x).backward()\n        opt.step()\n        helper(model)\n        opt.zero_grad()\n'],
    ]);
    const index = new ProjectIndex(new MemoryHost(files));
    assert.deepEqual(findings(index, files, '/r/run.py'), ['7:CLP002']);
    assert.deepEqual(findings(index, files, '/r/pkg/a.py'), []);
  });
});
