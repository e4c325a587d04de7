// The server's project: the workspace is indexed in the background in slices (skipping the folders
// a check skips), open documents win over the disk, and the open files that import a changed
// module are the ones to check again.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Analyzer } from '../../analysis/analyzer';
import { WorkspaceProject } from '../../server/lsp/workspaceProject';

describe('server: the workspace project', () => {
  let dir: string;
  const uri = (name: string) => pathToFileURL(join(dir, name)).href;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'clipwise-workspace-project-'));
    writeFileSync(join(dir, 'pyproject.toml'), '');
    writeFileSync(join(dir, 'helpers.py'), 'import torch\n\ndef clip(model):\n    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n');
    writeFileSync(join(dir, 'train.py'), 'from helpers import clip\n\ndef train(model, loader, opt):\n    for b in loader:\n        model(b).backward()\n        opt.step()\n        clip(model)\n        opt.zero_grad()\n');
    for (let i = 0; i < 60; i++) writeFileSync(join(dir, `module_${i}.py`), `x_${i} = ${i}\n`);
    mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'pkg', 'skipped.py'), 'y = 1\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('indexes the workspace in the background, a slice at a time, skipping dependency folders', async () => {
    const project = new WorkspaceProject([{ uri: pathToFileURL(dir).href, name: 'w' }]);
    let turns = 0;
    const counting = setInterval(() => turns++, 0);
    const read = await project.indexInBackground([{ uri: pathToFileURL(dir).href, name: 'w' }]);
    clearInterval(counting);
    assert.equal(read, 62);
    assert.ok(turns > 0, 'other work ran while indexing');
  });

  it('an unsaved edit to the helper changes the importer, and the importer is the file to check again', () => {
    const project = new WorkspaceProject([{ uri: pathToFileURL(dir).href, name: 'w' }]);
    const analyzer = new Analyzer();
    const check = () => analyzer.analyze(readTrain(), project.options(uri('train.py'), {})).findings.map((f) => f.code);
    const readTrain = () => 'from helpers import clip\n\ndef train(model, loader, opt):\n    for b in loader:\n        model(b).backward()\n        opt.step()\n        clip(model)\n        opt.zero_grad()\n';
    assert.deepEqual(check(), ['CLP002']);
    let helperText = 'import torch\n\ndef clip(model):\n    print(model)\n';
    project.opened(uri('helpers.py'), () => helperText);
    assert.deepEqual(project.changed([uri('helpers.py')], [uri('train.py'), uri('module_1.py')]), [uri('train.py')]);
    assert.deepEqual(check(), []);
    helperText = 'import torch\n\ndef clip(model):\n    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n';
    project.changed([uri('helpers.py')]);
    assert.deepEqual(check(), ['CLP002']);
  });
});
