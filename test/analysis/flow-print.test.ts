// The debug printer of a unit's flow graph: the same accumulation loop written in TypeScript and
// in Python gives the same shape (a back edge, the step and zero_grad under the window's guard).
import assert from 'node:assert/strict';
import { printFlowGraph } from '../../analysis/model/print';
import { PythonFrontEnd } from '../../analysis/python';
import { TypeScriptFrontEnd } from '../../analysis/typescript';
import type { FrontEnd } from '../../analysis/frontend';

function printed(front: FrontEnd, text: string): string[] {
  return [...front.run(text).units].map((u) => printFlowGraph(u.build().unit));
}

describe('flow graph printer', () => {
  it('prints a TypeScript accumulation loop: nodes, events with their guards, edges with conditions and the back edge', () => {
    const text = `for (let i = 0; i < n; i++) {\n  loss.backward();\n  if ((i + 1) % 4 === 0) {\n    optimizer.step();\n    optimizer.zeroGrad();\n  }\n}\n`;
    assert.deepEqual(printed(new TypeScriptFrontEnd(), text), [
      [
        'module <module>',
        '  0 entry: - -> 2',
        '  1 exit: -',
        '  2: - -> 4, 1',
        // The update (`i++`) runs after each pass, then the back edge; the loop assigns i, and its accumulation test varies.
        '  3: - -> 2 (back, assigns i; varies (i+1)%4===0)',
        '  4: backward@2 -> 5 [(i+1)%4===0], 3 [not((i+1)%4===0)]',
        '  5: step@4 optimizer=optimizer if (i+1)%4===0 (accumulation) -> 6',
        '  6: zero@5 optimizer=optimizer if (i+1)%4===0 (accumulation) -> 3',
      ].join('\n'),
    ]);
  });

  it('prints the Python loop with the same events in the same order', () => {
    const text = `for i, batch in enumerate(loader):\n    loss.backward()\n    if (i + 1) % 4 == 0:\n        optimizer.step()\n        optimizer.zero_grad()\n`;
    const [graph] = printed(new PythonFrontEnd(), text);
    const events = [...graph.matchAll(/(\w+)@(\d+)/g)].map((m) => `${m[1]}@${m[2]}`);
    assert.deepEqual(events, ['backward@2', 'step@4', 'zero@5']);
    assert.match(graph, /\(back, assigns batch i; varies \(i\+1\)%4 == n:0\)/);
    assert.match(graph, /step@4 optimizer=optimizer if .*\(accumulation\)/);
  });
});
