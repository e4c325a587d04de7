// The names a piece of code reads and writes, read from its text: what decides whether a fix
// may move a statement over other lines. Two pieces of code may trade places only when neither
// writes a name the other reads or writes (`clip(params, max_norm)` may not move below
// `max_norm = max_norm * 0.5`, nor `grad_norm = clip(…)` below a use of `grad_norm`).
//
// Python syntax (strings, `#` comments, brackets, `=` / `+=` / `:=`, `for … in`, `as`, `del`,
// `import`); the TypeScript front end will bring its own reader. Where the text is unclear the
// answer errs towards "conflict": a move not made is safe, a wrong move is not.

export interface NamesUsed {
  /** Dotted names read (`model.parameters`, `max_norm`). */
  reads: Set<string>;
  /** Dotted names bound or assigned (`max_norm`, `self.scale`, `x` of `x[i] = …`). */
  writes: Set<string>;
}

type Token = { kind: 'name'; text: string } | { kind: 'op'; text: string } | { kind: 'end' };

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield',
]);

const AUGMENTED = new Set(['+=', '-=', '*=', '/=', '//=', '%=', '@=', '&=', '|=', '^=', '>>=', '<<=', '**=']);

/** Tokens of the text: dotted names, operators, and an `end` at each statement's end. */
function tokens(text: string): Token[] {
  const out: Token[] = [];
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '#') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (c === '\n' || c === '\r' || c === ';') {
      if (depth === 0 || c === ';') out.push({ kind: 'end' });
      i++;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')) {
      i += 2;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      i += quote.length;
      while (i < n && !text.startsWith(quote, i)) {
        if (text[i] === '\\') i++;
        else if (!triple && (text[i] === '\n' || text[i] === '\r')) break;
        i++;
      }
      i += quote.length;
      out.push({ kind: 'op', text: 'string' });
      continue;
    }
    if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i;
      while (j < n && /[\w\u0080-\uffff]/.test(text[j])) j++;
      const word = text.slice(i, j);
      // A string prefix (f"…", rb'…') belongs to the string that follows.
      if ((text[j] === '"' || text[j] === "'") && /^[rbfuRBFU]{1,2}$/.test(word)) {
        i = j;
        continue;
      }
      const last = out[out.length - 1];
      const before = out[out.length - 2];
      if (last?.kind === 'op' && last.text === '.' && before?.kind === 'name' && !KEYWORDS.has(word)) {
        out.pop();
        before.text += `.${word}`;
      } else out.push({ kind: 'name', text: word });
      i = j;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/\d/.test(c)) {
      while (i < n && /[\w.]/.test(text[i])) i++;
      out.push({ kind: 'op', text: 'number' });
      continue;
    }
    const op = ['**=', '//=', '>>=', '<<=', ':=', '==', '!=', '<=', '>=', '+=', '-=', '*=', '/=', '%=', '@=', '&=', '|=', '^=', '->', '**', '//'].find((o) => text.startsWith(o, i)) ?? c;
    if ('([{'.includes(op)) depth++;
    else if (')]}'.includes(op) && depth > 0) depth--;
    out.push({ kind: 'op', text: op });
    i += op.length;
  }
  out.push({ kind: 'end' });
  return out;
}

/** What `text` (whole statements) reads and writes. */
export function namesUsed(text: string): NamesUsed {
  const reads = new Set<string>();
  const writes = new Set<string>();
  let statement: Token[] = [];
  for (const token of tokens(text)) {
    if (token.kind !== 'end') {
      statement.push(token);
      continue;
    }
    if (statement.length) readStatement(statement, reads, writes);
    statement = [];
  }
  return { reads, writes };
}

function readStatement(statement: Token[], reads: Set<string>, writes: Set<string>): void {
  const isWord = (t: Token | undefined, text: string) => t?.kind === 'name' && t.text === text;
  // Everything left of the last top-level `=` is a target; so is the name before `+=` or `:=`.
  let depth = 0;
  let lastAssign = -1;
  statement.forEach((t, i) => {
    if (t.kind !== 'op') return;
    if ('([{'.includes(t.text)) depth++;
    else if (')]}'.includes(t.text)) depth = Math.max(0, depth - 1);
    else if (t.text === '=' && depth === 0) lastAssign = i;
  });
  const first = statement[0];
  const importing = isWord(first, 'import') || isWord(first, 'from');
  statement.forEach((t, i) => {
    if (t.kind !== 'name' || KEYWORDS.has(t.text)) return;
    reads.add(t.text);
    const next = statement[i + 1];
    const previous = statement[i - 1];
    if (i < lastAssign || (next?.kind === 'op' && (AUGMENTED.has(next.text) || next.text === ':='))) writes.add(t.text);
    if (isWord(previous, 'as') || isWord(previous, 'del') || isWord(previous, 'global') || isWord(previous, 'nonlocal')) writes.add(t.text);
    if (importing) writes.add(t.text.split('.')[0]);
  });
  // `for a, b in …` (also in comprehensions: their targets are local, but a conflict is only ever safe).
  for (let i = 0; i < statement.length; i++) {
    if (!isWord(statement[i], 'for')) continue;
    for (let j = i + 1; j < statement.length && !isWord(statement[j], 'in'); j++) {
      const t = statement[j];
      if (t.kind === 'name' && !KEYWORDS.has(t.text)) writes.add(t.text);
    }
  }
  // `del a, b` and `global a, b`: every name of the statement.
  if (isWord(first, 'del') || isWord(first, 'global') || isWord(first, 'nonlocal')) {
    for (const t of statement) if (t.kind === 'name' && !KEYWORDS.has(t.text)) writes.add(t.text);
  }
  // `def f` / `class C` bind their name.
  if ((isWord(first, 'def') || isWord(first, 'class')) && statement[1]?.kind === 'name') writes.add(statement[1].text);
}

/** `a` and `b` name the same thing or one is part of the other (`x` and `x.grad`). */
function overlapping(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

function meets(names: Set<string>, others: Set<string>): boolean {
  for (const a of names) for (const b of others) if (overlapping(a, b)) return true;
  return false;
}

/** True when `moving` and `passed` may run in either order: neither writes what the other reads or writes. */
export function mayTradePlaces(moving: string, passed: string): boolean {
  const m = namesUsed(moving);
  const p = namesUsed(passed);
  return !meets(m.writes, p.reads) && !meets(m.writes, p.writes) && !meets(m.reads, p.writes);
}
