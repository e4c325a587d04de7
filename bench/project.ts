// Analysis across files at the size of a real project: `clipwise check` over a generated project
// of 1,000 files whose training scripts call helpers, base classes and factories of the project's
// packages, as a cold process, against ruff's (wasm) check of every file of the same tree in one
// fresh process, in the same run; with the peak memory of each.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonCorpus } from './corpus';
import { lowerIsBetter, median, type BenchRecord } from './record';

const ROOT = join(import.meta.dirname, '..');
export const PROJECT_FILES = 1000;
const PACKAGES = 25;
const RUNS = 3;

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

const helpers = (p: number) => `import torch


def clip_model(model, max_norm=1.0):
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)


def trainable(model):
    return filter(lambda p: p.requires_grad, model.parameters())


def build_optimizer(params, lr=1e-3):
    return torch.optim.AdamW(params, lr=lr, weight_decay=0.01)


def log_every(step, loss, every=${10 + p}):
    if step % every == 0:
        print(step, float(loss))
`;

const base = (p: number) => `import torch
from .helpers import clip_model


class BaseTrainer${p}:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer

    def clip(self):
        clip_model(self.model, 1.0)

    def fit(self, loader):
        for step, batch in enumerate(loader):
            self.train_step(step, batch)
`;

const script = (i: number, p: number) => `import torch
from pkg${p} import clip_model, trainable, build_optimizer, log_every
from pkg${p}.base import BaseTrainer${p}


${pythonCorpus(90)}


def train_${i}(model, loader, epochs):
    params = trainable(model)
    optimizer = build_optimizer(params)
    for epoch in range(epochs):
        for step, batch in enumerate(loader):
            loss = model(batch).mean()
            loss.backward()
            ${i % 7 === 0 ? 'optimizer.step()\n            clip_model(model)' : 'clip_model(model)\n            optimizer.step()'}
            optimizer.zero_grad()
            log_every(step, loss)


class Trainer${i}(BaseTrainer${p}):
    def train_step(self, step, batch):
        self.model(batch).mean().backward()
        self.clip()
        self.optimizer.step()
        self.optimizer.zero_grad()
`;

/** Writes the project: packages with helpers and base classes, models, and training scripts. */
export function generateProject(dir: string): string[] {
  const files: string[] = [];
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
    files.push(path);
  };
  writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "bench-project"\n');
  for (let p = 0; p < PACKAGES; p++) {
    write(`pkg${p}/__init__.py`, 'from .helpers import build_optimizer, clip_model, log_every, trainable\n');
    write(`pkg${p}/helpers.py`, helpers(p));
    write(`pkg${p}/base.py`, base(p));
    write(`pkg${p}/models.py`, pythonCorpus(150));
  }
  for (let i = 0; files.length < PROJECT_FILES; i++) write(`scripts/train_${i}.py`, script(i, i % PACKAGES));
  return files;
}

/** A fresh Node process: wall time and peak resident memory (MB), read from inside it at exit. */
function measure(args: string[], cwd: string): Promise<{ ms: number; peakMb: number }> {
  const out = join(mkdtempSync(join(tmpdir(), 'clipwise-rss-')), 'rss');
  const hook = join(out, '..', 'hook.cjs');
  writeFileSync(hook, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));\n`);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--require', hook, ...args], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}`));
      const peakMb = Number(readFileSync(out, 'utf8')) / 1024;
      rmSync(join(out, '..'), { recursive: true, force: true });
      resolve({ ms, peakMb });
    });
  });
}

/** ruff's check of every .py file under a folder, in one fresh process. */
const RUFF_ALL = `
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');
const files = [];
const walk = (d) => { for (const n of readdirSync(d)) { const p = join(d, n); if (statSync(p).isDirectory()) walk(p); else if (p.endsWith('.py')) files.push(p); } };
walk(process.argv[2]);
const ruffPath = require.resolve('@astral-sh/ruff-wasm-nodejs', { paths: [process.argv[3]] });
import(require('node:url').pathToFileURL(ruffPath).href).then((ruff) => {
  const workspace = new ruff.Workspace(ruff.Workspace.defaultSettings(), ruff.PositionEncoding?.Utf16 ?? 'utf-16');
  for (const f of files) workspace.check(readFileSync(f, 'utf8'));
});`;

export async function run(): Promise<BenchRecord[]> {
  const dir = mkdtempSync(join(tmpdir(), 'clipwise-project-bench-'));
  try {
    const files = generateProject(dir);
    const ruffScript = join(dir, '..', `${dir.split('/').pop()}-ruff.cjs`);
    writeFileSync(ruffScript, RUFF_ALL);
    const cli = join(ROOT, 'dist', 'cli.js');
    const ours: Array<{ ms: number; peakMb: number }> = [];
    const peer: Array<{ ms: number; peakMb: number }> = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternate, so both see the same state of the machine.
      ours.push(await measure([cli, 'check', '.', '--exit-zero', '--format', 'json'], dir));
      peer.push(await measure([ruffScript, dir, ROOT], ROOT));
    }
    rmSync(ruffScript, { force: true });
    // The run did follow the imports: each script that calls the helper after the step is found.
    const report = JSON.parse(spawnSync(process.execPath, [cli, 'check', '.', '--exit-zero', '--format', 'json'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 }).stdout) as { findings: Array<{ code: string }>; files: number };
    const expected = files.filter((f) => /train_(\d+)\.py$/.test(f) && Number(/train_(\d+)/.exec(f)![1]) % 7 === 0).length;
    const found = report.findings.filter((f) => f.code === 'CLP002').length;
    if (report.files !== PROJECT_FILES || found !== expected) throw new Error(`project-check: ${found} CLP002 findings in ${report.files} files, expected ${expected} in ${PROJECT_FILES}`);
    const ruff = `ruff ${packageVersion('@astral-sh/ruff-wasm-nodejs')} (wasm), every file`;
    return [
      lowerIsBetter('project-check', 'ms', median(ours.map((r) => r.ms)), ruff, median(peer.map((r) => r.ms))),
      lowerIsBetter('project-check-peak-memory', 'MB', median(ours.map((r) => r.peakMb)), ruff, median(peer.map((r) => r.peakMb))),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
