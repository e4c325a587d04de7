// The TypeScript/JavaScript front end: TypeScript's own parser (error-tolerant), then units for
// the module code and every function, method and arrow function whose text mentions gradients;
// the rest of a large file costs only the parse. The same step model as Python's, so the same
// rules run.
import ts from 'typescript';
import type { FrontEnd, FrontEndResult, UnitSource } from '../frontend';
import type { Unit } from '../model/graph';
import { MapComments } from '../suppression';
import { LineMap } from '../text';
import { TypeScriptFlowBuilder } from './flow';
import { TYPESCRIPT_SYNTAX } from './syntax';
import { Bindings, GRADIENT_WORDS } from './vocabulary';

/** Source lines that carry TypeScript's syntax for fixes. */
class TypeScriptLines extends LineMap {
  readonly syntax = TYPESCRIPT_SYNTAX;
}

/** Comments by line; `// clipwise-ignore-file` turns the whole file off. */
class TypeScriptComments extends MapComments {
  constructor(byLine: Map<number, string>, private readonly ignored: boolean) {
    super(byLine);
  }

  override get fileIgnored(): boolean {
    return this.ignored || super.fileIgnored;
  }
}

export class TypeScriptFrontEnd implements FrontEnd {
  /** The last file `run` parsed: the next version re-parses only what an edit changed (TypeScript's incremental parser). */
  private last?: ts.SourceFile;

  run(text: string): FrontEndResult {
    return analyse(text, (fresh) => {
      const previous = this.last;
      const file = previous && previous.fileName === fresh.fileName ? ts.updateSourceFile(previous, text, changeRange(previous.text, text)) : fresh.parse();
      this.last = file;
      return file;
    });
  }

  /** Parses afresh: the incremental parser takes over the tree it starts from, and `run`'s must stay. */
  trial(text: string): FrontEndResult {
    return analyse(text, (fresh) => fresh.parse());
  }
}

/** The span that differs between two versions (common prefix and suffix kept). */
function changeRange(before: string, after: string): ts.TextChangeRange {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < shorter - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  return ts.createTextChangeRange(ts.createTextSpan(start, before.length - end - start), after.length - end - start);
}

interface FreshParse {
  fileName: string;
  parse(): ts.SourceFile;
}

function analyse(text: string, parse: (fresh: FreshParse) => ts.SourceFile): FrontEndResult {
  const source = new TypeScriptLines(text);
  const comments = commentsOf(text, source);
  const empty: FrontEndResult = { units: [], pieceLines: new Map(), comments, syntaxErrors: 0, source };
  if (!GRADIENT_WORDS.test(text)) return empty;
  const jsx = /<\/|\/>/.test(text);
  const fileName = jsx ? 'file.tsx' : 'file.ts';
  const file = parse({ fileName, parse: () => ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, jsx ? ts.ScriptKind.TSX : ts.ScriptKind.TS) });
  const diagnostics = (file as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics;
  const bindings = new Bindings(file);
  return { ...empty, units: units(file, source, bindings), syntaxErrors: diagnostics?.length ?? 0 };
}

function commentsOf(text: string, lines: LineMap): MapComments {
  const byLine = new Map<number, string>();
  let ignored = false;
  if (text.includes('clipwise') || text.includes('noqa')) {
    const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.JSX, text);
    for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
      if (kind !== ts.SyntaxKind.SingleLineCommentTrivia && kind !== ts.SyntaxKind.MultiLineCommentTrivia) continue;
      const comment = scanner.getTokenText();
      const line = lines.lineOf(scanner.getTokenStart());
      byLine.set(line, (byLine.get(line) ?? '') + comment);
      if (/clipwise-ignore-file\b/i.test(comment)) ignored = true;
    }
  }
  return new TypeScriptComments(byLine, ignored);
}

type FunctionWithBody = ts.FunctionLikeDeclaration & { body: ts.Block | ts.Expression };

function* units(file: ts.SourceFile, lines: LineMap, bindings: Bindings): Generator<UnitSource> {
  const text = file.text;
  const top = file.statements.filter((s) => !ts.isFunctionDeclaration(s) && !ts.isClassDeclaration(s) && GRADIENT_WORDS.test(text.slice(s.getStart(file), s.end)));
  if (top.length) yield unitSource(`m:${text}`, 0, () => build(file, lines, bindings, '<module>', 'module', file, top));
  const functions: FunctionWithBody[] = [];
  const visit = (node: ts.Node): void => {
    // From the node's first token: comments before it (trivia) are not its code.
    if (!GRADIENT_WORDS.test(text.slice(node.kind === ts.SyntaxKind.SourceFile ? 0 : node.getStart(file), node.end))) return;
    if (ts.isFunctionLike(node) && 'body' in node && node.body) functions.push(node as FunctionWithBody);
    ts.forEachChild(node, visit);
  };
  visit(file);
  for (const fn of functions) {
    const start = fn.getStart(file);
    const anchor = lines.lineOf(start);
    const name = functionName(fn);
    const kind = ts.isMethodDeclaration(fn) || ts.isConstructorDeclaration(fn) || ts.isGetAccessor(fn) || ts.isSetAccessor(fn) ? 'method' : ts.isFunctionDeclaration(fn) ? 'function' : 'closure';
    const body = ts.isBlock(fn.body) ? fn.body.statements : [ts.factory.createExpressionStatement(fn.body)];
    // The key holds the whole file's text outside this function only through what it binds: the imports and receivers.
    const key = `f:${bindingsKey(bindings)}:${start - lines.starts[anchor]}:${text.slice(start, fn.end)}`;
    yield unitSource(key, anchor, () => build(file, lines, bindings, name, kind, fn, ts.isBlock(fn.body) ? body : []));
  }
}

function bindingsKey(bindings: Bindings): string {
  return JSON.stringify([[...bindings.imports], [...bindings.receivers], bindings.helpersKey()]);
}

function unitSource(key: string, anchorLine: number, make: () => Unit): UnitSource {
  return { key, anchorLine, build: () => ({ unit: make(), dependencies: [] }) };
}

function build(file: ts.SourceFile, lines: LineMap, bindings: Bindings, name: string, kind: Unit['kind'], node: ts.Node, statements: readonly ts.Statement[]): Unit {
  const start = node === file ? 0 : node.getStart(file);
  const graph = new TypeScriptFlowBuilder(file, lines, bindings, `${name}@${start}`).build(statements);
  return { name, kind, range: { start: lines.position(start), end: lines.position(node.end) }, graph, facts: {} };
}

function functionName(fn: ts.FunctionLikeDeclaration): string {
  const own = fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name)) ? fn.name.text : undefined;
  const cls = fn.parent && ts.isClassLike(fn.parent) ? fn.parent.name?.text : undefined;
  const holder = fn.parent && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
  const base = own ?? holder ?? '<anonymous>';
  return cls ? `${cls}.${base}` : base;
}
