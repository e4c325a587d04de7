// The words behind hovers and the Lab's stand-in: what a clip call does, what PyTorch computes
// for it, and why a finding is a mistake.
import type { ClipSite, Language, RuleCode } from '../../analysis/api';
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
  if (clip) parts.push(explainClip(clip, view.language));
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

/**
 * What a clip call does and computes. In Python, as PyTorch's code; in TypeScript and JavaScript
 * (Clipwise's engine and PyTorch-like libraries, which follow PyTorch's definition), the same
 * computation in TypeScript's spelling.
 */
export function explainClip(clip: ClipSite, language: Language = 'python'): string {
  const ts = language === 'typescript';
  const name = `\`${clip.callee}\``;
  const normType = clip.normType === undefined ? '2.0' : clip.normType === Infinity ? 'inf' : pythonNumber(clip.normType);
  const maxNorm = clip.maxNorm === undefined ? (ts ? 'maxNorm' : 'max_norm') : pythonNumber(clip.maxNorm);
  const heading = ts ? "What it computes (PyTorch's definition, which Clipwise's engine and PyTorch-like libraries follow):" : 'What PyTorch computes:';
  const fence = ts ? '```ts' : '```python';
  if (clip.kind === 'value') {
    const value = clip.clipValue === undefined ? (ts ? 'clipValue' : 'clip_value') : pythonNumber(clip.clipValue);
    return [
      `${name} clamps every gradient element into [-${value}, ${value}], each on its own: large components are cut, so the gradient's direction can change.`,
      '',
      ts ? "What it computes (PyTorch's definition), for every parameter `p`:" : 'What PyTorch computes, for every parameter `p`:',
      fence,
      ts ? `p.grad = clamp(p.grad, -${value}, ${value});` : `p.grad.clamp_(min=-${value}, max=${value})`,
      '```',
      ts ? 'It returns nothing.' : 'It returns `None`.',
    ].join('\n');
  }
  const lead =
    clip.kind === 'with-norm'
      ? `${name} scales every gradient by one factor computed from a total norm you pass in (usually from \`get_total_norm\`).`
      : clip.kind === 'framework'
        ? `${name} is the framework's clip: it unscales mixed-precision gradients and combines norms across devices or shards, then scales every gradient by one factor so their total norm is at most ${maxNorm}.`
        : `${name} scales all gradients together by one factor so that their total norm is at most ${maxNorm}; the direction of the update is kept.`;
  const code = ts ? tsNormCode(clip.kind === 'with-norm', normType, maxNorm) : pythonNormCode(clip.kind === 'with-norm', normType, maxNorm);
  const returns = clip.kind === 'with-norm' ? (ts ? 'It returns nothing.' : 'It returns `None`.') : `It returns \`${ts ? 'totalNorm' : 'total_norm'}\`, the norm before clipping (log it to choose ${ts ? 'the threshold' : 'max_norm'}).`;
  return [lead, '', heading, fence, ...code, '```', returns].join('\n');
}

function pythonNormCode(withNorm: boolean, normType: string, maxNorm: string): string[] {
  const normLine = normType === 'inf' ? 'total_norm = max(p.grad.abs().max() for p in parameters)' : `total_norm = norm([norm(p.grad, ${normType}) for p in parameters], ${normType})`;
  return [
    withNorm ? '# total_norm: the third argument' : normLine,
    `clip_coef = ${maxNorm} / (total_norm + 1e-6)`,
    'clip_coef = min(clip_coef, 1.0)  # capped at 1: gradients are never scaled up',
    'for p in parameters: p.grad.mul_(clip_coef)',
  ];
}

function tsNormCode(withNorm: boolean, normType: string, maxNorm: string): string[] {
  const normLine =
    normType === 'inf'
      ? 'const totalNorm = Math.max(...parameters.map((p) => max(abs(p.grad))));'
      : `const totalNorm = norm(parameters.map((p) => norm(p.grad, ${normType})), ${normType});`;
  return [
    withNorm ? '// totalNorm: the third argument' : normLine,
    `const clipCoef = Math.min(${maxNorm} / (totalNorm + 1e-6), 1.0); // capped at 1: gradients are never scaled up`,
    'for (const p of parameters) p.grad = p.grad * clipCoef;',
  ];
}

/** A number as Python prints a float: 1.0, 0.5, 1e-05. */
function pythonNumber(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
