// Real PyTorch for the Lab's tests: Debian's python3-torch, importable by /usr/bin/python3 only.
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

/** Throws (the test fails, it is not skipped) when torch cannot be imported, naming the package to install. */
export function requireTorch(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `${PYTHON} cannot import torch: install Debian's python3-torch (apt-get install python3-torch), as .ci/run does.\n${probe.error?.message ?? probe.stderr}`,
    );
  }
}

/** Runs a Python program with `input` on stdin; its stdout, or an error with its stderr. */
export function runPython(program: string, input: string): string {
  const run = spawnSync(PYTHON, ['-c', program], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`python exited with ${run.status}:\n${run.stderr}`);
  return run.stdout;
}
