// The debug printer of a unit's flow graph: the same accumulation loop written in TypeScript and
// in Python gives the same shape (a back edge, the step and zero_grad under the window's guard),
// and the same loops written in both languages print the same graph, node for node: the two
// front ends share one wiring (model/flow-builder.ts).
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

/** One loop in both languages, line for line (Python's blank lines stand where TypeScript closes a brace), and what its graph must show. */
const SAME_LOOPS: Array<{ name: string; python: string; typescript: string; shows: RegExp[] }> = [
  {
    name: 'if/else',
    python: `import torch
for batch in loader:
    loss = model(batch)
    loss.backward()
    if use_clip:
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    else:
        optimizer.zero_grad()

    optimizer.step()
`,
    typescript: `import { clipGradNorm_ } from 'clipwise/engine';
for (const batch of loader) {
  const loss = model(batch);
  loss.backward();
  if (use_clip) {
    clipGradNorm_(model.parameters(), 1.0);
  } else {
    optimizer.zeroGrad();
  }
  optimizer.step();
}
`,
    shows: [/clip@6 clip=norm if not\(<empty>loader\) && use_clip ->/, /zero@8 optimizer=optimizer if not\(<empty>loader\) && not\(use_clip\)/, /\(back, assigns batch loss\)/],
  },
  {
    name: 'for with break and continue',
    python: `import torch
for batch in loader:
    loss = model(batch)
    if skip:
        continue

    loss.backward()
    if done:
        break

    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
`,
    typescript: `import { clipGradNorm_ } from 'clipwise/engine';
for (const batch of loader) {
  const loss = model(batch);
  if (skip) {
    continue;
  }
  loss.backward();
  if (done) {
    break;
  }
  clipGradNorm_(model.parameters(), 1.0);
  optimizer.step();
}
`,
    shows: [/\[skip\]/, /\[done\]/, /step@12/],
  },
  {
    name: 'while True',
    python: `import torch
while True:
    loss = model(batch)
    loss.backward()
    optimizer.step()
    if converged:
        break

`,
    typescript: `import { clipGradNorm_ } from 'clipwise/engine';
while (true) {
  const loss = model(batch);
  loss.backward();
  optimizer.step();
  if (converged) {
    break;
  }
}
`,
    shows: [/\(back, assigns loss\)/, /\[converged\]/],
  },
  {
    name: 'try/finally',
    python: `import torch
for batch in loader:
    try:
        loss = model(batch)
        loss.backward()
        if bad:
            continue

        optimizer.step()
    finally:
        optimizer.zero_grad()

`,
    typescript: `import { clipGradNorm_ } from 'clipwise/engine';
for (const batch of loader) {
  try {
    const loss = model(batch);
    loss.backward();
    if (bad) {
      continue;
    }
    optimizer.step();
  } finally {
    optimizer.zeroGrad();
  }
}
`,
    shows: [/zero@11[^\n]*\n(?:.*\n)*.*zero@11/],
  },
  {
    name: 'nested loops left from the inner one (a label in TypeScript)',
    python: `import torch
for epoch in epochs:
    for batch in loader:
        loss = model(batch)
        loss.backward()
        if done:
            break

    else:
        continue
    break
`,
    typescript: `import { clipGradNorm_ } from 'clipwise/engine';
outer: for (const epoch of epochs) {
  for (const batch of loader) {
    const loss = model(batch);
    loss.backward();
    if (done) {
      break outer;
    }
  }
}
`,
    shows: [/\(back, assigns batch epoch loss\)/, /\(back, assigns batch loss\)/],
  },
];

describe('one wiring for both languages', () => {
  for (const loop of SAME_LOOPS) {
    it(`prints the same graph for ${loop.name} in Python and TypeScript`, () => {
      const python = printed(new PythonFrontEnd(), loop.python);
      const typescript = printed(new TypeScriptFrontEnd(), loop.typescript);
      assert.equal(python.length, 1);
      assert.deepEqual(typescript, python);
      for (const shown of loop.shows) assert.match(python[0], shown);
    });
  }
});
