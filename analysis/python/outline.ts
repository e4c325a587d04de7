// Which top-level chunks need a full parse. Most of a large file — model blocks, datasets,
// utilities — can neither touch gradients nor call anything that does; for those a parse of the
// definition's header (its name, parameters, bases) is all the analysis ever reads. A chunk needs
// its body when its text mentions gradients, or calls by name something that does (to a fixed
// point: a helper of a helper counts).
import { textMayTouchGradients } from './relevance';

export interface Outline {
  kind: 'def' | 'class';
  /** The function's or class's name. */
  name: string;
}

const METHOD = /^[ \t]+(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)/gm;

/**
 * The name a chunk defines, if it is a single function or class definition (after decorators,
 * comments and blank lines). A hand scan: this runs over every chunk of every file.
 */
export function outlineOf(text: string): Outline | undefined {
  const n = text.length;
  let i = 0;
  for (;;) {
    while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    const c = text.charCodeAt(i);
    if (c === 64 /* @ */ || c === 35 /* # */) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
      i++;
    } else if (c === 10 || c === 13) i++;
    else break;
  }
  if (i >= n) return undefined;
  if (text.startsWith('async', i) && isBlank(text.charCodeAt(i + 5))) {
    i += 5;
    while (isBlank(text.charCodeAt(i))) i++;
  }
  let kind: Outline['kind'];
  if (text.startsWith('def', i) && isBlank(text.charCodeAt(i + 3))) kind = 'def';
  else if (text.startsWith('class', i) && isBlank(text.charCodeAt(i + 5))) kind = 'class';
  else return undefined;
  i += kind === 'def' ? 3 : 5;
  while (isBlank(text.charCodeAt(i))) i++;
  const nameStart = i;
  if (!isWordStart(text.charCodeAt(i))) return undefined;
  while (i < n && (isWordStart(text.charCodeAt(i)) || (text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57))) i++;
  return { kind, name: text.slice(nameStart, i) };
}

const isBlank = (c: number) => c === 32 || c === 9;
const isWordStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;

/** What the decision reads from one chunk's text, kept per text between parses. */
export interface ChunkFacts {
  outline: Outline | undefined;
  touchesGradients: boolean;
  /** Names the chunk makes callable: the function, or the class and its methods (read on demand). */
  names?: string[];
  /** The last call pattern tested against this text, and the answer. */
  tested?: { pattern: string; matches: boolean };
}

export function chunkFacts(text: string): ChunkFacts {
  return { outline: outlineOf(text), touchesGradients: textMayTouchGradients(text) };
}

/** The names a definition chunk makes callable. Only chunks found to matter are scanned for methods. */
function definedNames(text: string, facts: ChunkFacts): string[] {
  if (facts.names) return facts.names;
  const outline = facts.outline;
  const names = outline ? [outline.name] : [];
  if (outline?.kind === 'class') for (const method of text.matchAll(METHOD)) names.push(method[1]);
  return (facts.names = names);
}

/** For each chunk: does the analysis need its body? */
export function chunksNeedingBodies(texts: string[], facts: ChunkFacts[]): boolean[] {
  const needed = facts.map((f) => f.outline === undefined || f.touchesGradients);
  const called = new Set<string>();
  const addNames = (i: number) => facts[i].outline && definedNames(texts[i], facts[i]).forEach((n) => called.add(n));
  needed.forEach((yes, i) => yes && addNames(i));
  for (let round = 0; round < 8 && called.size; round++) {
    const source = `\\b(?:${[...called].sort().map(escape).join('|')})\\s*\\(`;
    let pattern: RegExp | undefined;
    let grew = false;
    texts.forEach((text, i) => {
      if (needed[i]) return;
      const f = facts[i];
      if (f.tested?.pattern !== source) {
        pattern ??= new RegExp(source);
        f.tested = { pattern: source, matches: pattern.test(text) };
      }
      if (!f.tested.matches) return;
      needed[i] = true;
      addNames(i);
      grew = true;
    });
    if (!grew) break;
  }
  return needed;
}

function escape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The end of a definition's header (decorators and the `def …:` / `class …:` line), tracking
 * brackets and strings so that a default value or base list over several lines stays whole.
 */
export function headerEnd(text: string): number {
  let depth = 0;
  let sawKeyword = false;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      while (i < text.length && text.charCodeAt(i) !== 10) i++;
    }
    const ch = text.charCodeAt(i);
    if (ch === 34 || ch === 39) {
      const triple = text.charCodeAt(i + 1) === ch && text.charCodeAt(i + 2) === ch;
      i += triple ? 3 : 1;
      while (i < text.length) {
        const d = text.charCodeAt(i);
        if (d === 92) { i += 2; continue; }
        if (d === ch && (!triple || (text.charCodeAt(i + 1) === ch && text.charCodeAt(i + 2) === ch))) {
          i += triple ? 2 : 0;
          break;
        }
        if (!triple && d === 10) break;
        i++;
      }
      continue;
    }
    if (ch === 40 || ch === 91 || ch === 123) depth++;
    else if ((ch === 41 || ch === 93 || ch === 125) && depth > 0) depth--;
    else if (ch === 10 || i === text.length) {
      if (!sawKeyword && /^[ \t]*(async[ \t]+)?(def|class)\b/.test(text.slice(lineStart, i))) sawKeyword = true;
      if (sawKeyword && depth === 0 && text.charCodeAt(i - 1) !== 92) return i + 1;
      lineStart = i + 1;
    }
  }
  return text.length;
}
