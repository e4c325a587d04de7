// "Show in Gradient Lab" over each clip call and each finding (one lens a line), carrying what
// the Lab needs to replay this loop: the order of calls and the max_norm the code uses.
import type { CodeLens } from 'vscode-languageserver';
import type { LoopShape, Range } from '../../analysis/api';
import { Commands, type LoopCallName, type LoopSummary, type ShowInLabArgs } from '../protocol';
import { contains, type FileView } from './fileView';

export function codeLenses(view: FileView): CodeLens[] {
  const byLine = new Map<number, { range: Range; args: ShowInLabArgs }>();
  const add = (range: Range, code?: string, docUrl?: string) => {
    const existing = byLine.get(range.start.line);
    if (existing && (existing.args.code || !code)) return;
    const loop = innermostLoop(view.loops, range);
    byLine.set(range.start.line, { range, args: { uri: view.uri, position: range.start, code, docUrl, loop } });
  };
  for (const finding of view.findings) add(finding.range, finding.code, finding.docUrl);
  for (const clip of view.clips) add(clip.range);
  return [...byLine.values()]
    .sort((a, b) => a.range.start.line - b.range.start.line)
    .map(({ range, args }) => ({ range, command: { title: 'Show in Gradient Lab', command: Commands.showInLab, arguments: [args] } }));
}

function innermostLoop(loops: LoopShape[], range: Range): LoopSummary | undefined {
  let best: LoopShape | undefined;
  for (const loop of loops) {
    if (!contains(loop.range, range.start)) continue;
    if (!best || contains(best.range, loop.range.start)) best = loop;
  }
  if (!best) return undefined;
  const order = best.order.map((call) => ({ call: call as LoopCallName }));
  return { order, fixedOrder: order, codes: [], clip: best.maxNorm === undefined ? undefined : { kind: 'norm', threshold: best.maxNorm }, learningRate: best.learningRate, optimizer: best.optimizer };
}
