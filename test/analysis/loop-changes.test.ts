// What a loop changes from pass to pass is data on its back edges (names it assigns, conditions
// that vary when tested), and whether a condition is kept across passes is decided in the model
// from it, the same for every language.
import assert from 'node:assert/strict';
import { keptAcrossPasses } from '../../analysis/model/graph';
import { SYNC_KEY } from '../../analysis/model/events';
import { printFlowGraph } from '../../analysis/model/print';
import { TypeScriptFrontEnd } from '../../analysis/typescript';

describe('what a loop changes', () => {
  it('keeps a condition that mentions no assigned name or path, and none the body re-tests that varies', () => {
    const changes = { assigned: new Set(['self.state.step', 'i', '$scale']), varying: new Set(['should_step()']) };
    assert.equal(keptAcrossPasses(changes, 'self.use_amp'), true);
    assert.equal(keptAcrossPasses(changes, 'self.state'), true, 'assigning self.state.step leaves self.state the same object');
    assert.equal(keptAcrossPasses(changes, 'self.state.step>3'), false);
    assert.equal(keptAcrossPasses(changes, 'self.state.step.count'), false, 'what hangs below an assigned path changes too');
    assert.equal(keptAcrossPasses(changes, 'i%4==0'), false);
    assert.equal(keptAcrossPasses(changes, 'index'), true, 'a name is matched whole, not by prefix');
    assert.equal(keptAcrossPasses(changes, '$scale>1'), false, "TypeScript's $ is part of a name");
    assert.equal(keptAcrossPasses(changes, 'should_step()'), false);
    assert.equal(keptAcrossPasses(changes, SYNC_KEY), false, 'the accumulation window changes by design');
  });

  it('finds what a TypeScript loop assigns: the loop variables, attribute paths, destructuring, containers, ++, not a nested function', () => {
    const text = [
      'for (const [i, batch] of loader.entries()) {',
      '  this.state.step += 1;',
      '  ({ a, c: d } = f(batch));',
      '  grads[i] = g;',
      '  n++;',
      '  const handler = () => { hidden = 1; };',
      '  loss.backward();',
      '}',
      '',
    ].join('\n');
    const [graph] = [...new TypeScriptFrontEnd().run(text).units].map((u) => printFlowGraph(u.build().unit));
    assert.match(graph, /\(back, assigns a batch d grads handler i n this\.state\.step\)/);
  });
});
