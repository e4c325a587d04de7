// From the code to the Lab: every training loop in examples/ becomes, through the lens's
// LoopSummary, a valid "this loop" experiment that replays the code's order as run A and the fixed
// order as run B, and runs. Where the order is wrong, the two runs differ.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../analysis/analyzer';
import { loopSummary } from '../../server/lsp/codeLens';
import { parseExperiment } from '../../webview/lab/experiment';
import { runToEnd } from '../../webview/lab/runner';
import { experimentFromLoop } from '../../webview/lab/this-loop';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');
const files = [
  ...readdirSync(EXAMPLES).filter((f) => /\.(py|ts|js)$/.test(f)),
  ...readdirSync(join(EXAMPLES, 'correct')).filter((f) => f.endsWith('.py')).map((f) => `correct/${f}`),
];

describe('loop shapes in the Lab: every example loop is a runnable experiment', () => {
  for (const file of files) {
    const loops = analyzeText(readFileSync(join(EXAMPLES, file), 'utf8'), file.endsWith('.py') ? 'python' : 'typescript').loops;
    for (const shape of loops) {
      it(`${file}, loop at line ${shape.range.start.line + 1}`, () => {
        // Through JSON, as the lens's arguments travel.
        const summary = JSON.parse(JSON.stringify(loopSummary(shape)));
        const parsed = parseExperiment(JSON.parse(JSON.stringify(experimentFromLoop(summary))));
        assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.join('\n'));
        const experiment = parsed.experiment;
        const replayed = (calls: { call: string; windowEnd?: boolean }[]) => calls.filter((c) => c.call !== 'forward').map((c) => `${c.call}${c.windowEnd ? '*' : ''}`);
        const written = (calls: { call: string; windowEnd?: boolean }[]) => calls.map((c) => `${c.call}${c.windowEnd ? '*' : ''}`);
        assert.deepEqual(replayed(experiment.a.calls), written(shape.order));
        assert.deepEqual(replayed(experiment.b.calls), written(shape.fixedOrder));
        if (shape.accumulation) assert.equal(experiment.accumulation, shape.accumulation);
        if (shape.clip?.threshold) assert.equal(experiment.clip.threshold, shape.clip.threshold);
        const result = runToEnd({ ...experiment, steps: 5 });
        assert.ok(result.a.records.length > 0 && result.b.records.length > 0, 'both runs ran');
        if (shape.codes.length) assert.notDeepEqual(result.a.records.map((r) => r.loss), result.b.records.map((r) => r.loss));
        else assert.deepEqual(result.a.records.map((r) => r.loss), result.b.records.map((r) => r.loss));
      });
    }
  }
});
