// Where a words regex (GRADIENT_WORDS, BINDING_WORDS) matches in a text, found once: whether a
// node's text mentions the words is then a binary search, not a scan of the node's text (which,
// done for every node of a tree, costs the text's size times its nesting depth).

export class WordIndex {
  /** Match starts and ends, in order (matches of one scan do not overlap). */
  private constructor(private readonly text: string, private readonly regex: RegExp, private readonly starts: number[], private readonly ends: number[]) {}

  /** The matches of `regex` in `text`. */
  static of(text: string, regex: RegExp): WordIndex {
    const starts: number[] = [];
    const ends: number[] = [];
    collect(text, regex, 0, starts, ends);
    return new WordIndex(text, regex, starts, ends);
  }

  /** Matches found piece by piece (`offset` is where each piece's `matches` sit in `text`). */
  static ofPieces(text: string, regex: RegExp, pieces: Iterable<{ offset: number; matches: PieceMatches }>): WordIndex {
    const starts: number[] = [];
    const ends: number[] = [];
    for (const { offset, matches } of pieces) {
      for (let i = 0; i < matches.starts.length; i++) {
        starts.push(matches.starts[i] + offset);
        ends.push(matches.ends[i] + offset);
      }
    }
    return new WordIndex(text, regex, starts, ends);
  }

  /** What `regex.test(text.slice(start, end))` says. */
  has(start: number, end: number): boolean {
    const { starts, ends } = this;
    // The first match ending after `start`.
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] <= start) lo = mid + 1;
      else hi = mid;
    }
    if (lo === ends.length || starts[lo] >= end) return false;
    if (starts[lo] >= start && ends[lo] <= end) return true;
    // A match across the span's edge may hide another inside it: ask the regex.
    return this.regex.test(this.text.slice(start, end));
  }
}

/** A piece's matches, relative to the piece. */
export interface PieceMatches {
  starts: number[];
  ends: number[];
}

export function pieceMatches(text: string, regex: RegExp): PieceMatches {
  const starts: number[] = [];
  const ends: number[] = [];
  collect(text, regex, 0, starts, ends);
  return { starts, ends };
}

const GLOBAL = new WeakMap<RegExp, RegExp>();

function collect(text: string, regex: RegExp, offset: number, starts: number[], ends: number[]): void {
  let global = GLOBAL.get(regex);
  if (!global) GLOBAL.set(regex, (global = new RegExp(regex.source, regex.flags.replace(/[gy]/g, '') + 'g')));
  global.lastIndex = 0;
  for (let m = global.exec(text); m; m = global.exec(text)) {
    starts.push(m.index + offset);
    ends.push(m.index + m[0].length + offset);
    if (m[0].length === 0) global.lastIndex++;
  }
}
