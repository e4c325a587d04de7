// Expression parsing by precedence climbing over the token stream. Tolerant: where an operand is
// missing, an Error node stands in and parsing goes on, so `clip_grad_norm_(model.parameters(),`
// still yields a call with its first argument.
import { Tok } from './tokens';
import { TokenCursor } from './cursor';
import type { Argument, Expr, Generator, Param } from './ast';

/** Words that can never be a name in an expression (soft keywords like `match` are names). */
const HARD_KEYWORDS = new Set([
  'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else',
  'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'True', 'False', 'None',
]);

const BINARY_PRECEDENCE: Record<string, number> = {
  '|': 1, '^': 2, '&': 3, '<<': 4, '>>': 4, '+': 5, '-': 5, '*': 6, '/': 6, '//': 6, '%': 6, '@': 6,
};

const COMPARISON_OPS = new Set(['<', '>', '==', '>=', '<=', '!=']);

export class ExpressionParser extends TokenCursor {
  /** Current expression nesting, bounded so generated or garbled code cannot overflow the stack. */
  private nesting = 0;
  private static readonly MAX_NESTING = 150;
  /** Longest operator or trailer chain kept in the tree (trees stay shallow for their walkers). */
  private static readonly MAX_CHAIN = 300;

  /** `test`: lambda, conditional expression, or walrus. */
  parseExpr(): Expr {
    if (this.nesting >= ExpressionParser.MAX_NESTING) return this.skipNested();
    this.nesting++;
    try {
      return this.parseExprUnbounded();
    } finally {
      this.nesting--;
    }
  }

  /** Too deep to be real code: skip the rest of this bracket level and stand an Error node in for it. */
  private skipNested(): Expr {
    const start = this.tok.start;
    let depth = 0;
    while (this.kindNow() !== Tok.EndOfFile) {
      const t = this.tok;
      if (t.kind === Tok.Newline && depth === 0) break;
      if (t.kind === Tok.Op) {
        if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
        else if (t.value === ')' || t.value === ']' || t.value === '}') {
          if (depth === 0) break;
          depth--;
        } else if (depth === 0 && (t.value === ',' || t.value === ':' || t.value === '=')) break;
      }
      this.advance();
    }
    return { type: 'Error', start, end: Math.max(start, this.lastEnd) };
  }

  private parseExprUnbounded(): Expr {
    if (this.isWord('lambda')) return this.parseLambda();
    if (this.isWord('yield')) return this.parseYield();
    const start = this.tok.start;
    const body = this.parseOr();
    if (this.isOp(':=') && body.type === 'Name') {
      this.advance();
      const value = this.parseExpr();
      return { type: 'NamedExpr', target: body, value, start, end: this.lastEnd };
    }
    if (this.isWord('if') && this.looksLikeConditional()) {
      this.advance();
      const test = this.parseOr();
      if (!this.eatWord('else')) return { type: 'IfExp', test, body, orelse: this.error(this.lastEnd), start, end: this.lastEnd };
      const orelse = this.parseExpr();
      return { type: 'IfExp', test, body, orelse, start, end: this.lastEnd };
    }
    return body;
  }

  /** `x if c else y` versus a statement-level `if` after a broken expression: require an `else` on the line. */
  private looksLikeConditional(): boolean {
    let depth = 0;
    for (let i = this.pos + 1; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (t.kind === Tok.Newline || t.kind === Tok.EndOfFile) return false;
      if (t.kind === Tok.Op) {
        if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
        else if (t.value === ')' || t.value === ']' || t.value === '}') {
          if (depth === 0) return false;
          depth--;
        }
      } else if (t.kind === Tok.Name && depth === 0) {
        if (t.value === 'else') return true;
        if (t.value === 'for') return false;
      }
    }
    return false;
  }

  private parseLambda(): Expr {
    const start = this.advance().start;
    const params = this.parseParams(':');
    this.eatOp(':');
    const body = this.parseExpr();
    return { type: 'Lambda', params, body, start, end: this.lastEnd };
  }

  private parseYield(): Expr {
    const start = this.advance().start;
    this.eatWord('from');
    if (this.atExpressionEnd()) return { type: 'Yield', start, end: this.lastEnd };
    const value = this.parseExprList();
    return { type: 'Yield', value, start, end: this.lastEnd };
  }

  /** Parameters up to `closer` (`)` for def, `:` for lambda). */
  parseParams(closer: string): Param[] {
    const params: Param[] = [];
    while (!this.isOp(closer) && !this.atLineEnd()) {
      const start = this.tok.start;
      let kind: Param['kind'] = 'normal';
      if (this.eatOp('*')) kind = 'star';
      else if (this.eatOp('**')) kind = 'kwstar';
      else if (this.eatOp('/')) {
        this.eatOp(',');
        continue;
      }
      if (this.tok.kind === Tok.Name && !HARD_KEYWORDS.has(this.tok.value)) {
        const name = this.advance().value;
        if (closer !== ':' && this.eatOp(':')) this.parseExpr();
        let defaultValue: Expr | undefined;
        if (this.eatOp('=')) defaultValue = this.parseExpr();
        params.push({ name, kind, default: defaultValue, start, end: this.lastEnd });
      } else if (kind === 'normal') {
        // Unreadable parameter: skip one token so parsing moves on.
        this.advance();
      }
      if (!this.eatOp(',')) break;
    }
    return params;
  }

  /** Comma-separated expressions; a tuple when there is a comma. */
  parseExprList(element: () => Expr = () => this.parseStarOrExpr()): Expr {
    const start = this.tok.start;
    const first = element();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.atExpressionEnd() || this.isWord('in')) break;
      elts.push(element());
    }
    return { type: 'Tuple', elts, start, end: this.lastEnd };
  }

  protected parseStarOrExpr(): Expr {
    if (this.isOp('*')) {
      const start = this.advance().start;
      const value = this.parseBitOr();
      return { type: 'Starred', value, start, end: this.lastEnd };
    }
    return this.parseExpr();
  }

  /** A `for` target list: binds tighter than comparison, so `in` stays for the loop. */
  parseTargetList(): Expr {
    return this.parseExprList(() => {
      if (this.isOp('*')) {
        const start = this.advance().start;
        const value = this.parseBitOr();
        return { type: 'Starred', value, start, end: this.lastEnd };
      }
      return this.parseBitOr();
    });
  }

  parseOr(): Expr {
    const start = this.tok.start;
    const first = this.parseAnd();
    if (!this.isWord('or')) return first;
    const values = [first];
    while (this.eatWord('or')) values.push(this.parseAnd());
    return { type: 'BoolOp', op: 'or', values, start, end: this.lastEnd };
  }

  private parseAnd(): Expr {
    const start = this.tok.start;
    const first = this.parseNot();
    if (!this.isWord('and')) return first;
    const values = [first];
    while (this.eatWord('and')) values.push(this.parseNot());
    return { type: 'BoolOp', op: 'and', values, start, end: this.lastEnd };
  }

  private parseNot(): Expr {
    if (this.isWord('not')) {
      const start = this.advance().start;
      const operand = this.parseNot();
      return { type: 'UnaryOp', op: 'not', operand, start, end: this.lastEnd };
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    const start = this.tok.start;
    const left = this.parseBitOr();
    const ops: string[] = [];
    const comparators: Expr[] = [];
    for (;;) {
      const t = this.tok;
      let op: string | undefined;
      if (t.kind === Tok.Op && COMPARISON_OPS.has(t.value)) {
        this.advance();
        op = t.value;
      } else if (t.kind === Tok.Name && t.value === 'in') {
        this.advance();
        op = 'in';
      } else if (t.kind === Tok.Name && t.value === 'not' && this.peekAt(1).value === 'in') {
        this.advance();
        this.advance();
        op = 'not in';
      } else if (t.kind === Tok.Name && t.value === 'is') {
        this.advance();
        op = this.eatWord('not') ? 'is not' : 'is';
      }
      if (!op) break;
      ops.push(op);
      comparators.push(this.parseBitOr());
    }
    if (!ops.length) return left;
    return { type: 'Compare', left, ops, comparators, start, end: this.lastEnd };
  }

  protected parseBitOr(minPrecedence = 1): Expr {
    const start = this.tok.start;
    let left = this.parseUnary();
    for (let chain = 0; ; chain++) {
      const t = this.tok;
      const precedence = t.kind === Tok.Op ? BINARY_PRECEDENCE[t.value] : undefined;
      if (precedence === undefined || precedence < minPrecedence) return left;
      this.advance();
      const right = this.parseBitOr(precedence + 1);
      // Past a few hundred operands, keep reading but stop deepening the tree.
      left = chain < ExpressionParser.MAX_CHAIN ? { type: 'BinOp', op: t.value, left, right, start, end: this.lastEnd } : { ...left, end: this.lastEnd };
    }
  }

  private parseUnary(): Expr {
    const t = this.tok;
    if (t.kind === Tok.Op && (t.value === '-' || t.value === '+' || t.value === '~')) {
      this.advance();
      const operand = this.parseUnary();
      return { type: 'UnaryOp', op: t.value, operand, start: t.start, end: this.lastEnd };
    }
    return this.parsePower();
  }

  private parsePower(): Expr {
    const start = this.tok.start;
    let base: Expr;
    if (this.isWord('await')) {
      this.advance();
      const value = this.parsePrimary();
      base = { type: 'Await', value, start, end: this.lastEnd };
    } else {
      base = this.parsePrimary();
    }
    if (this.eatOp('**')) {
      const exponent = this.parseUnary();
      return { type: 'BinOp', op: '**', left: base, right: exponent, start, end: this.lastEnd };
    }
    return base;
  }

  /** An atom followed by calls, subscripts and attribute accesses. */
  parsePrimary(): Expr {
    const start = this.tok.start;
    let expr = this.parseAtom();
    for (let chain = 0; ; chain++) {
      const t = this.tok;
      if (t.kind !== Tok.Op) return expr;
      if (chain >= ExpressionParser.MAX_CHAIN) {
        // An absurdly long trailer chain: the rest reads as one opaque node.
        const rest = this.skipNested();
        return { type: 'Error', start, end: rest.end };
      }
      if (t.value === '.') {
        this.advance();
        const name = this.tok;
        if (name.kind === Tok.Name) {
          this.advance();
          expr = { type: 'Attribute', value: expr, attr: name.value, attrStart: name.start, start, end: this.lastEnd };
        } else {
          expr = { type: 'Attribute', value: expr, attr: '', attrStart: t.end, start, end: this.lastEnd };
          return expr;
        }
      } else if (t.value === '(') {
        this.advance();
        const args = this.parseArguments();
        this.eatOp(')');
        expr = { type: 'Call', func: expr, args, argsStart: t.start, start, end: this.lastEnd };
      } else if (t.value === '[') {
        this.advance();
        const index = this.parseSubscript();
        this.eatOp(']');
        expr = { type: 'Subscript', value: expr, index, start, end: this.lastEnd };
      } else {
        return expr;
      }
    }
  }

  protected parseArguments(): Argument[] {
    const args: Argument[] = [];
    while (!this.isOp(')') && !this.atLineEnd()) {
      const start = this.tok.start;
      const before = this.pos;
      if (this.isOp('*') || this.isOp('**')) {
        const star = this.advance().value as '*' | '**';
        const value = this.parseExpr();
        args.push({ star, value, start, end: this.lastEnd });
      } else if (this.tok.kind === Tok.Name && this.peekAt(1).kind === Tok.Op && this.peekAt(1).value === '=' && !HARD_KEYWORDS.has(this.tok.value)) {
        const name = this.advance().value;
        this.advance();
        const value = this.parseExpr();
        args.push({ name, value, start, end: this.lastEnd });
      } else {
        let value = this.parseExpr();
        if (this.isWord('for') || (this.isWord('async') && this.peekAt(1).value === 'for')) {
          value = { type: 'Comprehension', kind: 'generator', elt: value, generators: this.parseGenerators(), start, end: this.lastEnd };
        }
        args.push({ value, start, end: this.lastEnd });
      }
      if (this.pos === before) this.advance();
      if (!this.eatOp(',')) break;
    }
    return args;
  }

  private parseSubscript(): Expr {
    const start = this.tok.start;
    const first = this.parseSliceItem();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isOp(']') || this.atLineEnd()) break;
      elts.push(this.parseSliceItem());
    }
    return { type: 'Tuple', elts, start, end: this.lastEnd };
  }

  private parseSliceItem(): Expr {
    const start = this.tok.start;
    const bound = () => (this.isOp(':') || this.isOp(']') || this.isOp(',') || this.atLineEnd() ? undefined : this.parseExpr());
    const lower = bound();
    if (!this.isOp(':')) return lower ?? this.error(start);
    this.advance();
    const upper = bound();
    let step: Expr | undefined;
    if (this.eatOp(':')) step = bound();
    return { type: 'Slice', lower, upper, step, start, end: this.lastEnd };
  }

  protected parseGenerators(): Generator[] {
    const generators: Generator[] = [];
    while (this.isWord('for') || (this.isWord('async') && this.peekAt(1).value === 'for')) {
      if (this.isWord('async')) this.advance();
      this.advance();
      const target = this.parseTargetList();
      this.eatWord('in');
      const iter = this.parseOr();
      const ifs: Expr[] = [];
      while (this.eatWord('if')) ifs.push(this.parseOr());
      generators.push({ target, iter, ifs });
    }
    return generators;
  }

  private parseAtom(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case Tok.Name: {
        if (t.value === 'True' || t.value === 'False' || t.value === 'None') {
          this.advance();
          return { type: 'Constant', kind: t.value === 'None' ? 'none' : t.value === 'True' ? 'true' : 'false', raw: t.value, start: t.start, end: t.end };
        }
        if (t.value === 'lambda') return this.parseLambda();
        if (HARD_KEYWORDS.has(t.value) && t.value !== 'await') return this.error(t.start);
        this.advance();
        return { type: 'Name', id: t.value, start: t.start, end: t.end };
      }
      case Tok.Number:
        this.advance();
        return { type: 'Constant', kind: 'number', raw: t.value, start: t.start, end: t.end };
      case Tok.String: {
        this.advance();
        let end = t.end;
        let raw = t.value;
        while (this.tok.kind === Tok.String) {
          raw += this.tok.value;
          end = this.advance().end;
        }
        return { type: 'Constant', kind: 'string', raw, start: t.start, end };
      }
      case Tok.Op:
        if (t.value === '(') return this.parseParenthesized();
        if (t.value === '[') return this.parseListDisplay();
        if (t.value === '{') return this.parseBraceDisplay();
        if (t.value === '...') {
          this.advance();
          return { type: 'Constant', kind: 'ellipsis', raw: '...', start: t.start, end: t.end };
        }
        if (t.value === '*') {
          this.advance();
          const value = this.parseBitOr();
          return { type: 'Starred', value, start: t.start, end: this.lastEnd };
        }
        return this.error(t.start);
      case Tok.Error:
        this.advance();
        return { type: 'Error', start: t.start, end: t.end };
      default:
        return this.error(t.start);
    }
  }

  private parseParenthesized(): Expr {
    const start = this.advance().start;
    if (this.eatOp(')')) return { type: 'Tuple', elts: [], start, end: this.lastEnd };
    const first = this.isWord('yield') ? this.parseExpr() : this.parseStarOrExpr();
    if (this.isWord('for') || (this.isWord('async') && this.peekAt(1).value === 'for')) {
      const generators = this.parseGenerators();
      this.eatOp(')');
      return { type: 'Comprehension', kind: 'generator', elt: first, generators, start, end: this.lastEnd };
    }
    if (!this.isOp(',')) {
      this.eatOp(')');
      // Keep the inner node (its span excludes the parentheses, which is what edits want).
      return first;
    }
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isOp(')') || this.atLineEnd()) break;
      elts.push(this.parseStarOrExpr());
    }
    this.eatOp(')');
    return { type: 'Tuple', elts, start, end: this.lastEnd };
  }

  private parseListDisplay(): Expr {
    const start = this.advance().start;
    if (this.eatOp(']')) return { type: 'List', elts: [], start, end: this.lastEnd };
    const first = this.parseStarOrExpr();
    if (this.isWord('for') || (this.isWord('async') && this.peekAt(1).value === 'for')) {
      const generators = this.parseGenerators();
      this.eatOp(']');
      return { type: 'Comprehension', kind: 'list', elt: first, generators, start, end: this.lastEnd };
    }
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isOp(']') || this.atLineEnd()) break;
      elts.push(this.parseStarOrExpr());
    }
    this.eatOp(']');
    return { type: 'List', elts, start, end: this.lastEnd };
  }

  private parseBraceDisplay(): Expr {
    const start = this.advance().start;
    if (this.eatOp('}')) return { type: 'Dict', keys: [], values: [], start, end: this.lastEnd };
    if (this.isOp('**')) return this.parseDictRest(start, null, (this.advance(), this.parseBitOr()));
    const first = this.parseStarOrExpr();
    if (this.eatOp(':')) {
      const value = this.parseExpr();
      if (this.isWord('for') || (this.isWord('async') && this.peekAt(1).value === 'for')) {
        const generators = this.parseGenerators();
        this.eatOp('}');
        return { type: 'Comprehension', kind: 'dict', elt: first, value, generators, start, end: this.lastEnd };
      }
      return this.parseDictRest(start, first, value);
    }
    if (this.isWord('for') || (this.isWord('async') && this.peekAt(1).value === 'for')) {
      const generators = this.parseGenerators();
      this.eatOp('}');
      return { type: 'Comprehension', kind: 'set', elt: first, generators, start, end: this.lastEnd };
    }
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isOp('}') || this.atLineEnd()) break;
      elts.push(this.parseStarOrExpr());
    }
    this.eatOp('}');
    return { type: 'Set', elts, start, end: this.lastEnd };
  }

  private parseDictRest(start: number, firstKey: Expr | null, firstValue: Expr): Expr {
    const keys: (Expr | null)[] = [firstKey];
    const values: Expr[] = [firstValue];
    while (this.eatOp(',')) {
      if (this.isOp('}') || this.atLineEnd()) break;
      if (this.eatOp('**')) {
        keys.push(null);
        values.push(this.parseBitOr());
        continue;
      }
      keys.push(this.parseExpr());
      this.eatOp(':');
      values.push(this.parseExpr());
    }
    this.eatOp('}');
    return { type: 'Dict', keys, values, start, end: this.lastEnd };
  }
}
