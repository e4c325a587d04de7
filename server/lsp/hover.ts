// Hover on a finding or on any clip call. The editor already shows each diagnostic's message in
// the same hover, so this adds what the message does not say: why the rule matters, its page, and
// what PyTorch computes for the clip.
import type { Hover, HoverParams } from 'vscode-languageserver';
import { ruleByCode } from '../../analysis/rules/catalogue';
import { explainClip } from './explain';
import { contains, type FileView, type ViewFinding } from './fileView';

export function hover(view: FileView, params: HoverParams): Hover | null {
  const findings = view.findings.filter((f) => contains(f.range, params.position));
  const clip = view.clips.find((c) => contains(c.range, params.position));
  if (!findings.length && !clip) return null;
  const parts = findings.map(findingNote);
  if (clip) parts.push(explainClip(clip, view.language));
  return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') }, range: findings[0]?.range ?? clip!.range };
}

/** The finding's rule, why it matters and its page: never its message again. */
function findingNote(finding: ViewFinding): string {
  const summary = ruleByCode(finding.code)?.summary;
  const lines = [`**${finding.code} · ${finding.name}** (${finding.severity})`];
  if (summary) lines.push('', `*Why it matters:* ${summary}`);
  lines.push('', `[${finding.code} documentation](${finding.docUrl})`);
  return lines.join('\n');
}
