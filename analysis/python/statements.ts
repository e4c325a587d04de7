// Statement parsing: blocks by INDENT/DEDENT, compound statements, simple statements split on
// `;`. Tolerant of half-typed code: a missing `:` or an unreadable line becomes an Error
// statement covering that line and parsing resumes at the next line.
import { Tok, type Token } from './tokens';
import { ExpressionParser } from './expressions';
import type { Alias, Expr, Handler, MatchCase, Stmt, WithItem } from './ast';

const AUGMENTED_ASSIGN = new Set(['+=', '-=', '*=', '/=', '//=', '%=', '@=', '&=', '|=', '^=', '>>=', '<<=', '**=']);

/** Parses a module (or a top-level chunk of one) into statements. */
/** Blocks nested deeper than this are skipped (and said to be). */
export const MAX_BLOCK_DEPTH = 200;

export function parseStatements(tokens: Token[]): Stmt[] {
  return new StatementParser(tokens).parseModule();
}

class StatementParser extends ExpressionParser {
  /** Nesting depth of blocks, bounded so pathological nesting cannot overflow the stack. */
  private depth = 0;
  private static readonly MAX_DEPTH = MAX_BLOCK_DEPTH;

  parseModule(): Stmt[] {
    const body: Stmt[] = [];
    while (this.kindNow() !== Tok.EndOfFile) {
      const before = this.pos;
      if (this.kindNow() === Tok.Dedent || this.kindNow() === Tok.Newline) {
        this.advance();
        continue;
      }
      this.parseStatementInto(body);
      if (this.pos === before) this.advance();
    }
    return body;
  }

  private parseStatementInto(out: Stmt[]): void {
    const t = this.tok;
    if (t.kind === Tok.Indent) {
      // Unexpected indentation: keep its statements, as if the block were flat.
      this.advance();
      out.push(...this.parseBlockBody());
      return;
    }
    if (t.kind === Tok.Name) {
      switch (t.value) {
        case 'def': out.push(this.parseFunction(t.start, [], false)); return;
        case 'class': out.push(this.parseClass(t.start, [])); return;
        case 'if': out.push(this.parseIf()); return;
        case 'for': out.push(this.parseFor(t.start)); return;
        case 'while': out.push(this.parseWhile()); return;
        case 'try': out.push(this.parseTry()); return;
        case 'with': out.push(this.parseWith(t.start)); return;
        case 'async': {
          const next = this.peekAt(1).value;
          if (next === 'def' || next === 'for' || next === 'with') {
            this.advance();
            if (next === 'def') out.push(this.parseFunction(t.start, [], true));
            else if (next === 'for') out.push(this.parseFor(t.start));
            else out.push(this.parseWith(t.start));
            return;
          }
          break;
        }
        case 'match':
          if (this.looksLikeMatch()) {
            out.push(this.parseMatch());
            return;
          }
          break;
        case 'else': case 'elif': case 'except': case 'finally': {
          // A dangling clause (its header was lost): parse its body as plain statements.
          const start = t.start;
          this.skipHeader();
          const body = this.parseBlock();
          out.push({ type: 'Error', start, end: start + t.value.length }, ...body);
          return;
        }
      }
    }
    if (t.kind === Tok.Op && t.value === '@') {
      out.push(this.parseDecorated());
      return;
    }
    this.parseSimpleStatements(out);
  }

  /** `match x:` followed by an indented `case`: Python's soft keyword. */
  private looksLikeMatch(): boolean {
    let i = this.pos + 1;
    let depth = 0;
    let last: Token | undefined;
    for (; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (t.kind === Tok.Newline || t.kind === Tok.EndOfFile) break;
      if (t.kind === Tok.Op && (t.value === '(' || t.value === '[' || t.value === '{')) depth++;
      if (t.kind === Tok.Op && (t.value === ')' || t.value === ']' || t.value === '}')) depth--;
      if (t.kind === Tok.Op && t.value === '=' && depth === 0) return false;
      last = t;
    }
    if (!last || last.kind !== Tok.Op || last.value !== ':' || i === this.pos + 2) return false;
    const after = this.tokens[i + 1];
    const caseToken = this.tokens[i + 2];
    return after?.kind === Tok.Indent && caseToken?.kind === Tok.Name && caseToken.value === 'case';
  }

  private parseSimpleStatements(out: Stmt[]): void {
    for (;;) {
      out.push(this.parseSimpleStatement());
      if (!this.eatOp(';')) break;
      if (this.atLineEnd()) break;
    }
    this.finishLine();
  }

  /** Expects the end of a logical line; anything left on it is skipped as an error. */
  private finishLine(): void {
    if (this.kindNow() === Tok.Newline) {
      this.advance();
      return;
    }
    if (this.kindNow() === Tok.EndOfFile || this.kindNow() === Tok.Dedent || this.kindNow() === Tok.Indent) return;
    while (!this.atLineEnd()) this.advance();
    if (this.kindNow() === Tok.Newline) this.advance();
  }

  private parseSimpleStatement(): Stmt {
    const t = this.tok;
    const start = t.start;
    if (t.kind === Tok.Name) {
      switch (t.value) {
        case 'pass': this.advance(); return { type: 'Pass', start, end: this.lastEnd };
        case 'break': this.advance(); return { type: 'Break', start, end: this.lastEnd };
        case 'continue': this.advance(); return { type: 'Continue', start, end: this.lastEnd };
        case 'global':
        case 'nonlocal':
          this.advance();
          while (!this.atLineEnd() && !this.isOp(';')) this.advance();
          return { type: t.value === 'global' ? 'Global' : 'Nonlocal', start, end: this.lastEnd };
        case 'return': {
          this.advance();
          const value = this.atExpressionEnd() ? undefined : this.parseExprList();
          return { type: 'Return', value, start, end: this.lastEnd };
        }
        case 'raise': {
          this.advance();
          const exc = this.atExpressionEnd() ? undefined : this.parseExpr();
          if (this.eatWord('from')) this.parseExpr();
          return { type: 'Raise', exc, start, end: this.lastEnd };
        }
        case 'del': {
          this.advance();
          const target = this.parseExprList();
          return { type: 'Delete', targets: target.type === 'Tuple' ? target.elts : [target], start, end: this.lastEnd };
        }
        case 'assert': {
          this.advance();
          const test = this.parseExpr();
          const msg = this.eatOp(',') ? this.parseExpr() : undefined;
          return { type: 'Assert', test, msg, start, end: this.lastEnd };
        }
        case 'import': return this.parseImport();
        case 'from': return this.parseImportFrom();
      }
    }
    const before = this.pos;
    const first = this.parseExprList();
    if (this.pos === before) {
      // Nothing readable here: skip the rest of the line.
      while (!this.atLineEnd() && !this.isOp(';')) this.advance();
      return { type: 'Error', start, end: Math.max(this.lastEnd, start) };
    }
    if (this.isOp('=')) {
      // `a = b = c`: every side but the last is a target. (Built without push: a pushed-to array
      // reserves room for 17 elements, and a file can hold a million assignments.)
      let targets = [first];
      let value: Expr = first;
      while (this.eatOp('=')) {
        if (value !== first) targets = [...targets, value];
        value = this.isWord('yield') ? this.parseExpr() : this.parseExprList();
      }
      return { type: 'Assign', targets, value, start, end: this.lastEnd };
    }
    if (this.kindNow() === Tok.Op && AUGMENTED_ASSIGN.has(this.tok.value)) {
      const op = this.advance().value;
      const value = this.parseExprList();
      return { type: 'Assign', targets: [first], value, op, start, end: this.lastEnd };
    }
    if (this.isOp(':')) {
      this.advance();
      const annotation = this.parseExpr();
      const value = this.eatOp('=') ? this.parseExprList() : undefined;
      return { type: 'Assign', targets: [first], value, annotation, start, end: this.lastEnd };
    }
    return { type: 'Expr', value: first, start, end: this.lastEnd };
  }

  private parseDottedName(): string {
    let name = '';
    while (this.kindNow() === Tok.Name || this.isOp('.')) {
      if (this.kindNow() === Tok.Name && (this.tok.value === 'import' || this.tok.value === 'as')) break;
      name += this.advance().value;
    }
    return name;
  }

  private parseAliases(): Alias[] {
    const names: Alias[] = [];
    const parenthesized = this.eatOp('(');
    while (this.kindNow() === Tok.Name || this.isOp('*')) {
      const start = this.tok.start;
      const name = this.isOp('*') ? this.advance().value : this.parseDottedName();
      const asname = this.eatWord('as') && this.kindNow() === Tok.Name ? this.advance().value : undefined;
      names.push({ name, asname, start, end: this.lastEnd });
      if (!this.eatOp(',')) break;
    }
    if (parenthesized) this.eatOp(')');
    return names;
  }

  private parseImport(): Stmt {
    const start = this.advance().start;
    const names = this.parseAliases();
    return { type: 'Import', names, start, end: this.lastEnd };
  }

  private parseImportFrom(): Stmt {
    const start = this.advance().start;
    let level = 0;
    while (this.isOp('.') || this.isOp('...')) level += this.advance().value.length;
    const module = this.parseDottedName();
    this.eatWord('import');
    const names = this.parseAliases();
    return { type: 'ImportFrom', module, level, names, start, end: this.lastEnd };
  }

  /** Skips to the `:` ending a compound statement's header (tolerating its absence). */
  private skipHeader(): void {
    while (!this.atLineEnd() && !this.isOp(':')) this.advance();
    this.eatOp(':');
  }

  private expectColon(): void {
    if (this.eatOp(':')) return;
    // Half-typed header: drop what is left of the line, keep the block.
    while (!this.atLineEnd() && !this.isOp(':')) this.advance();
    this.eatOp(':');
  }

  /** The body after a `:` — an indented block or simple statements on the same line. */
  private parseBlock(): Stmt[] {
    if (this.kindNow() === Tok.Newline) {
      this.advance();
      if (this.kindNow() !== Tok.Indent) return [];
      this.advance();
      return this.parseBlockBody();
    }
    if (this.atLineEnd()) return [];
    const body: Stmt[] = [];
    this.parseSimpleStatements(body);
    return body;
  }

  /** Statements up to the Dedent closing the current block. */
  private parseBlockBody(): Stmt[] {
    const body: Stmt[] = [];
    if (this.depth >= StatementParser.MAX_DEPTH) {
      // Too deep to be real code (Python itself stops at 100 levels): skip the block without
      // recursing further, leaving a mark so the analysis can say what it did not read.
      const start = this.tok.start;
      let level = 1;
      while (level > 0 && this.kindNow() !== Tok.EndOfFile) {
        const t = this.advance();
        if (t.kind === Tok.Indent) level++;
        else if (t.kind === Tok.Dedent) level--;
      }
      body.push({ type: 'Error', start, end: this.lastEnd, tooDeep: true });
      return body;
    }
    this.depth++;
    while (this.kindNow() !== Tok.EndOfFile) {
      if (this.kindNow() === Tok.Dedent) {
        this.advance();
        break;
      }
      if (this.kindNow() === Tok.Newline) {
        this.advance();
        continue;
      }
      const before = this.pos;
      this.parseStatementInto(body);
      if (this.pos === before) this.advance();
    }
    this.depth--;
    return body;
  }

  private parseDecorated(): Stmt {
    const start = this.tok.start;
    const decorators: Expr[] = [];
    while (this.eatOp('@')) {
      decorators.push(this.parseExpr());
      this.finishLine();
    }
    const isAsync = this.eatWord('async');
    if (this.isWord('def')) return this.parseFunction(start, decorators, isAsync);
    if (this.isWord('class')) return this.parseClass(start, decorators);
    return { type: 'Error', start, end: this.lastEnd };
  }

  private parseFunction(start: number, decorators: Expr[], isAsync: boolean): Stmt {
    this.advance(); // def
    const nameToken = this.tok;
    const name = nameToken.kind === Tok.Name ? this.advance().value : '';
    if (this.isOp('[')) this.skipBrackets('[', ']'); // PEP 695 type parameters
    let params: ReturnType<ExpressionParser['parseParams']> = [];
    if (this.eatOp('(')) {
      params = this.parseParams(')');
      this.eatOp(')');
    }
    if (this.eatOp('->')) this.parseExpr();
    this.expectColon();
    const body = this.parseBlock();
    return { type: 'FunctionDef', name, nameStart: nameToken.start, params, body, decorators, isAsync, start, end: this.lastEnd };
  }

  private skipBrackets(open: string, close: string): void {
    let level = 0;
    do {
      if (this.isOp(open)) level++;
      else if (this.isOp(close)) level--;
      this.advance();
    } while (level > 0 && !this.atLineEnd());
  }

  private parseClass(start: number, decorators: Expr[]): Stmt {
    this.advance(); // class
    const nameToken = this.tok;
    const name = nameToken.kind === Tok.Name ? this.advance().value : '';
    if (this.isOp('[')) this.skipBrackets('[', ']');
    let bases: Extract<Stmt, { type: 'ClassDef' }>['bases'] = [];
    if (this.eatOp('(')) {
      bases = this.parseArguments();
      this.eatOp(')');
    }
    this.expectColon();
    const body = this.parseBlock();
    return { type: 'ClassDef', name, nameStart: nameToken.start, bases, body, decorators, start, end: this.lastEnd };
  }

  private parseIf(): Stmt {
    const start = this.advance().start; // if / elif
    const test = this.parseExpr();
    this.expectColon();
    const body = this.parseBlock();
    let orelse: Stmt[] = [];
    if (this.isWord('elif')) {
      const elif = this.parseIf() as Extract<Stmt, { type: 'If' }>;
      elif.elif = true;
      orelse = [elif];
    } else if (this.isWord('else')) {
      this.advance();
      this.expectColon();
      orelse = this.parseBlock();
    }
    return { type: 'If', test, body, orelse, start, end: this.lastEnd };
  }

  private parseFor(start: number): Stmt {
    this.advance(); // for
    const target = this.parseTargetList();
    this.eatWord('in');
    const iter = this.atLineEnd() || this.isOp(':') ? this.error(this.tok.start) : this.parseExprList();
    this.expectColon();
    const body = this.parseBlock();
    const orelse = this.parseElse();
    return { type: 'For', target, iter, body, orelse, start, end: this.lastEnd };
  }

  private parseElse(): Stmt[] {
    if (!this.isWord('else')) return [];
    this.advance();
    this.expectColon();
    return this.parseBlock();
  }

  private parseWhile(): Stmt {
    const start = this.advance().start;
    const test = this.parseExpr();
    this.expectColon();
    const body = this.parseBlock();
    const orelse = this.parseElse();
    return { type: 'While', test, body, orelse, start, end: this.lastEnd };
  }

  private parseTry(): Stmt {
    const start = this.advance().start;
    this.expectColon();
    const body = this.parseBlock();
    const handlers: Handler[] = [];
    while (this.isWord('except')) {
      const handlerStart = this.advance().start;
      this.eatOp('*');
      let exceptionType: Expr | undefined;
      let name: string | undefined;
      if (!this.isOp(':') && !this.atLineEnd()) {
        exceptionType = this.parseExprList();
        if (this.eatWord('as') && this.kindNow() === Tok.Name) name = this.advance().value;
      }
      this.expectColon();
      const handlerBody = this.parseBlock();
      handlers.push({ exceptionType, name, body: handlerBody, start: handlerStart, end: this.lastEnd });
    }
    const orelse = this.parseElse();
    let finalbody: Stmt[] = [];
    if (this.isWord('finally')) {
      this.advance();
      this.expectColon();
      finalbody = this.parseBlock();
    }
    return { type: 'Try', body, handlers, orelse, finalbody, start, end: this.lastEnd };
  }

  private parseWith(start: number): Stmt {
    this.advance(); // with
    const items: WithItem[] = [];
    const parenthesized = this.isOp('(') && this.withItemsAreParenthesized();
    if (parenthesized) this.advance();
    while (!this.atLineEnd() && !this.isOp(':')) {
      const before = this.pos;
      const context = this.parseExpr();
      let target: Expr | undefined;
      if (this.eatWord('as')) target = this.parseTargetList();
      items.push({ context, target });
      if (parenthesized && this.isOp(')')) {
        this.advance();
        break;
      }
      if (!this.eatOp(',')) break;
      if (this.pos === before) break;
    }
    this.expectColon();
    const body = this.parseBlock();
    return { type: 'With', items, body, start, end: this.lastEnd };
  }

  /** `with (a as b, c as d):` versus `with (expr).method():` */
  private withItemsAreParenthesized(): boolean {
    let depth = 0;
    for (let i = this.pos; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (t.kind === Tok.Newline || t.kind === Tok.EndOfFile) return false;
      if (t.kind !== Tok.Op) {
        if (depth === 1 && t.kind === Tok.Name && t.value === 'as') return true;
        continue;
      }
      if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
      else if (t.value === ')' || t.value === ']' || t.value === '}') {
        depth--;
        if (depth === 0) {
          const next = this.tokens[i + 1];
          return next?.kind === Tok.Op && next.value === ':' && this.tokens.slice(this.pos, i).some((x) => x.kind === Tok.Op && x.value === ',');
        }
      }
    }
    return false;
  }

  private parseMatch(): Stmt {
    const start = this.advance().start;
    const subject = this.parseExprList();
    this.expectColon();
    const cases: MatchCase[] = [];
    if (this.kindNow() === Tok.Newline) this.advance();
    if (this.kindNow() === Tok.Indent) {
      this.advance();
      while (this.isWord('case')) {
        const caseStart = this.advance().start;
        const pattern = this.parseExprList();
        const guard = this.eatWord('if') ? this.parseExpr() : undefined;
        this.expectColon();
        const body = this.parseBlock();
        cases.push({ pattern, guard, body, start: caseStart, end: this.lastEnd });
        while (this.kindNow() === Tok.Newline) this.advance();
      }
      if (this.kindNow() === Tok.Dedent) this.advance();
    }
    return { type: 'Match', subject, cases, start, end: this.lastEnd };
  }
}
