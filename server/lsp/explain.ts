// The words behind hovers and the Lab's stand-in: what a clip call does, what PyTorch computes
// for it, and why a finding is a mistake.
import type { ClipSite, RuleCode } from '../../analysis/api';
import { ruleByCode } from '../../analysis/rules/catalogue';
import { docUrl } from '../../analysis/rules/rule';
import { contains, type FileView, type ViewFinding } from './fileView';

type Position = { line: number; character: number };

/** Markdown for whatever Clipwise knows at a position: the findings there, then the clip call. */
export function explainAt(view: FileView, position: Position): { markdown: string; range: ViewFinding['range'] } | undefined {
  const findings = view.findings.filter((f) => contains(f.range, position));
  const clip = view.clips.find((c) => contains(c.range, position));
  if (!findings.length && !clip) return undefined;
  const parts = findings.map(explainFinding);
  if (clip) parts.push(explainClip(clip));
  return { markdown: parts.join('\n\n---\n\n'), range: findings[0]?.range ?? clip!.range };
}

export function explainFinding(finding: ViewFinding): string {
  const rule = ruleByCode(finding.code);
  const lines = [`**${finding.code} · ${finding.name}** (${finding.severity})`, '', finding.message];
  if (rule) lines.push('', `*Why it matters:* ${rule.summary}`);
  lines.push('', `[${finding.code} documentation](${finding.docUrl})`);
  return lines.join('\n');
}

/** A rule explained without a finding (the Lab's stand-in, `clipwise rule`-style). */
export function explainRule(code: string, documentation?: string): string | undefined {
  const rule = ruleByCode(code);
  if (!rule) return undefined;
  const lines = [`# ${rule.code} · ${rule.name}`, '', rule.summary, '', `Default severity: ${rule.severity}.`];
  if (documentation) lines.push('', documentation.replace(/^#[^\n]*\n/, '').trim());
  lines.push('', `[Documentation](${docUrl(rule.code as RuleCode)})`);
  return lines.join('\n');
}

export function explainClip(clip: ClipSite): string {
  const name = `\`${clip.callee}\``;
  const normType = clip.normType === undefined ? '2.0' : clip.normType === Infinity ? 'inf' : pythonNumber(clip.normType);
  const maxNorm = clip.maxNorm === undefined ? 'max_norm' : pythonNumber(clip.maxNorm);
  if (clip.kind === 'value') {
    const value = clip.clipValue === undefined ? 'clip_value' : pythonNumber(clip.clipValue);
    return [
      `${name} clamps every gradient element into [-${value}, ${value}], each on its own: large components are cut, so the gradient's direction can change.`,
      '',
      'What PyTorch computes, for every parameter `p`:',
      '```python',
      `p.grad.clamp_(min=-${value}, max=${value})`,
      '```',
      'It returns `None`.',
    ].join('\n');
  }
  const normLine = normType === 'inf' ? 'total_norm = max(p.grad.abs().max() for p in parameters)' : `total_norm = norm([norm(p.grad, ${normType}) for p in parameters], ${normType})`;
  const lead =
    clip.kind === 'with-norm'
      ? `${name} scales every gradient by one factor computed from a total norm you pass in (usually from \`get_total_norm\`).`
      : clip.kind === 'framework'
        ? `${name} is the framework's clip: it unscales mixed-precision gradients and combines norms across devices or shards, then scales every gradient by one factor so their total norm is at most ${maxNorm}.`
        : `${name} scales all gradients together by one factor so that their total norm is at most ${maxNorm}; the direction of the update is kept.`;
  return [
    lead,
    '',
    'What PyTorch computes:',
    '```python',
    clip.kind === 'with-norm' ? '# total_norm: the third argument' : normLine,
    `clip_coef = ${maxNorm} / (total_norm + 1e-6)`,
    'clip_coef = min(clip_coef, 1.0)  # capped at 1: gradients are never scaled up',
    'for p in parameters: p.grad.mul_(clip_coef)',
    '```',
    clip.kind === 'with-norm' ? 'It returns `None`.' : 'It returns `total_norm`, the norm before clipping (log it to choose max_norm).',
  ].join('\n');
}

/** A number as Python prints a float: 1.0, 0.5, 1e-05. */
function pythonNumber(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
