// A cursor over the token stream with the small reads both parsers share.
import { Tok, type Token } from './tokens';
import type { Expr } from './ast';

export class TokenCursor {
  protected pos = 0;
  /** End offset of the last token consumed: where the node being built ends. */
  protected lastEnd = 0;

  constructor(protected readonly tokens: Token[]) {}

  protected get tok(): Token {
    return this.tokens[this.pos];
  }

  /** The current token's kind, read afresh (a getter would be narrowed across calls that advance). */
  protected kindNow(): Tok {
    return this.tokens[this.pos].kind;
  }

  protected peekAt(ahead: number): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)];
  }

  protected advance(): Token {
    const t = this.tokens[this.pos];
    if (t.kind !== Tok.EndOfFile) {
      this.pos++;
      // Layout tokens do not extend a node: a block ends at its last real token.
      if (t.kind !== Tok.Newline && t.kind !== Tok.Indent && t.kind !== Tok.Dedent) this.lastEnd = t.end;
    }
    return t;
  }

  protected isOp(value: string): boolean {
    const t = this.tokens[this.pos];
    return t.kind === Tok.Op && t.value === value;
  }

  protected isWord(value: string): boolean {
    const t = this.tokens[this.pos];
    return t.kind === Tok.Name && t.value === value;
  }

  protected eatOp(value: string): boolean {
    if (!this.isOp(value)) return false;
    this.advance();
    return true;
  }

  protected eatWord(value: string): boolean {
    if (!this.isWord(value)) return false;
    this.advance();
    return true;
  }

  /** True at a token that ends an expression list: a line end, a closer, or the file end. */
  protected atExpressionEnd(): boolean {
    const t = this.tok;
    if (t.kind === Tok.Newline || t.kind === Tok.EndOfFile || t.kind === Tok.Indent || t.kind === Tok.Dedent) return true;
    if (t.kind === Tok.Op) return t.value === ')' || t.value === ']' || t.value === '}' || t.value === ';' || t.value === '=' || t.value === ':' || t.value === ',';
    return false;
  }

  protected error(start: number): Expr {
    return { type: 'Error', start, end: start };
  }

  protected atLineEnd(): boolean {
    const k = this.tok.kind;
    return k === Tok.Newline || k === Tok.EndOfFile || k === Tok.Indent || k === Tok.Dedent;
  }
}
