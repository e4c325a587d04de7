// Where each cell's "source" value lies in a notebook's JSON text, so that a fix rewrites only
// those bytes and the rest of the file (its line endings, separators, escapes) stays as it was.

export interface Span {
  start: number;
  end: number;
}

export interface SourceSpan extends Span {
  /** The raw JSON strings of a source given as a list of lines; undefined for a single string. */
  elements?: Span[];
}

/** The span of `cells[i].source` for each cell (undefined for a cell without one); throws on text that is not JSON. */
export function cellSourceSpans(text: string): Array<SourceSpan | undefined> {
  let i = 0;
  const fail = (): never => {
    throw new Error(`not JSON at offset ${i}`);
  };
  const space = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const string = (): Span => {
    const start = i;
    if (text[i] !== '"') fail();
    for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    if (i >= text.length) fail();
    i++;
    return { start, end: i };
  };
  // Walks a value; `visit` sees each member of an object (its key and where its value starts).
  const value = (onMember?: (key: string) => ((start: number) => void) | undefined): Span => {
    space();
    const start = i;
    const c = text[i];
    if (c === '"') return string();
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') return { start, end: ++i };
      for (;;) {
        space();
        const key = string();
        space();
        if (text[i++] !== ':') fail();
        const after = onMember?.(JSON.parse(text.slice(key.start, key.end)) as string);
        space();
        const valueStart = i;
        value();
        after?.(valueStart);
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return { start, end: ++i };
        else fail();
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') return { start, end: ++i };
      for (;;) {
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return { start, end: ++i };
        else fail();
      }
    }
    const literal = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!literal) fail();
    i += literal![0].length;
    return { start, end: i };
  };

  const spans: Array<SourceSpan | undefined> = [];
  const sourceOf = (start: number): SourceSpan => {
    const save = i;
    i = start;
    let span: SourceSpan;
    if (text[i] === '[') {
      const elements: Span[] = [];
      i++;
      space();
      if (text[i] !== ']')
        for (;;) {
          space();
          elements.push(string());
          space();
          if (text[i] === ',') i++;
          else if (text[i] === ']') break;
          else fail();
        }
      span = { start, end: i + 1, elements };
    } else span = { ...string() };
    i = save;
    return span;
  };
  value((key) => {
    if (key !== 'cells') return undefined;
    return (start) => {
      // Walk the cells again, now recording each one's source.
      const save = i;
      i = start + 1;
      let index = 0;
      space();
      if (text[i] !== ']')
        for (;;) {
          spans[index] = undefined;
          const cell = index;
          value((member) => (member === 'source' ? (valueStart) => void (spans[cell] = sourceOf(valueStart)) : undefined));
          index++;
          space();
          if (text[i] === ',') i++;
          else break;
        }
      i = save;
    };
  });
  return spans;
}
