// "Show in Gradient Lab" over each clip call and each finding (one lens a line), carrying what
// the Lab needs to replay the innermost training loop around it: the order of calls one pass
// runs, the fixed order, the loop's ordering findings and the settings the code states.
import type { CodeLens } from 'vscode-languageserver';
import type { LoopShape, Range } from '../../analysis/api';
import { rangeContains } from '../../analysis/text';
import { Commands, type LoopSummary, type ShowInLabArgs } from '../protocol';
import type { FileView } from './fileView';

export function codeLenses(view: FileView): CodeLens[] {
  const byLine = new Map<number, { range: Range; args: ShowInLabArgs }>();
  const add = (range: Range, code?: string, docUrl?: string) => {
    const existing = byLine.get(range.start.line);
    if (existing && (existing.args.code || !code)) return;
    const shape = innermostLoop(view.loops, range);
    byLine.set(range.start.line, { range, args: { uri: view.uri, position: range.start, code, docUrl, loop: shape && loopSummary(shape) } });
  };
  for (const finding of view.findings) add(finding.range, finding.code, finding.docUrl);
  for (const clip of view.clips) add(clip.range);
  return [...byLine.values()]
    .sort((a, b) => a.range.start.line - b.range.start.line)
    .map(({ range, args }) => ({ range, command: { title: 'Show in Gradient Lab', command: Commands.showInLab, arguments: [args] } }));
}

/** The smallest loop shape holding the range (an inner training loop before the epoch loop around it). */
export function innermostLoop(loops: readonly LoopShape[], range: Range): LoopShape | undefined {
  let best: LoopShape | undefined;
  for (const loop of loops) {
    if (!rangeContains(loop.range, range)) continue;
    if (!best || rangeContains(best.range, loop.range)) best = loop;
  }
  return best;
}

/** The shape as the protocol sends it: everything but the range, absent settings left out. */
export function loopSummary(shape: LoopShape): LoopSummary {
  const { range: _range, codes, ...rest } = shape;
  const summary: LoopSummary = { ...rest, codes: [...codes] };
  for (const key of Object.keys(summary) as Array<keyof LoopSummary>) if (summary[key] === undefined) delete summary[key];
  return summary;
}
