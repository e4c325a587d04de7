// `npm run test:golden`: every case of the four golden files (real PyTorch output) against the engine.
// One line per failing case, then "N passed, N failed" as the last line; exit code 1 on any failure.
import { runClip } from './golden-clip';
import { runOps } from './golden-ops';
import { runOptim } from './golden-optim';
import { runTrain } from './golden-train';

export interface CaseResult {
  file: string;
  name: string;
  failures: string[];
}

/** A golden file that cannot be read or parsed counts as one failure, not a crash. */
function guarded(file: string, run: () => CaseResult[]): CaseResult[] {
  try {
    return run();
  } catch (error) {
    return [{ file, name: '(whole file)', failures: [`could not run: ${(error as Error).message}`] }];
  }
}

function main(): void {
  const results = [
    ...guarded('clip', runClip),
    ...guarded('ops', runOps),
    ...guarded('optim', runOptim),
    ...guarded('train', runTrain),
  ];
  let passed = 0;
  let failed = 0;
  for (const r of results) {
    if (r.failures.length === 0) {
      passed++;
    } else {
      failed++;
      const shown = r.failures.slice(0, 3).join('; ');
      const more = r.failures.length > 3 ? ` (+${r.failures.length - 3} more)` : '';
      console.log(`FAIL ${r.file}/${r.name}: ${shown}${more}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main();
