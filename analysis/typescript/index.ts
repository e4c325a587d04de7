// The TypeScript/JavaScript front end: TypeScript's own parser (error-tolerant), then units for
// the module code and every function, method and arrow function whose text mentions gradients.
// The file is split into top-level chunks (chunks.ts, kept across edits); only chunks that can
// matter are parsed, in one source file whose text is the original with every other chunk
// blanked (chunked-file.ts), so every position is the original one. The same step model as
// Python's, so the same rules run.
import ts from 'typescript';
import type { Position } from '../api';
import type { FrontEnd, FrontEndResult, UnitSource } from '../frontend';
import type { Unit } from '../model/graph';
import { LineMap } from '../text';
import { enclosingStatedContext, moduleStatedContext, typescriptTrainingSettings } from './training-settings';
import { ChunkSplitter, ChunkText } from './chunks';
import { ChunkedFile, hasJsx, type FileChunk, type PieceMemo } from './chunked-file';
import { TypeScriptFlowBuilder } from './flow';
import { functionName, SameFileHelpers, type HelperFunction } from './helpers';
import { TYPESCRIPT_SYNTAX } from './syntax';
import { withEngineClip } from './clip-insertion';
import type { LanguageSyntax } from '../syntax';
import { Bindings } from './vocabulary';
import type { WordIndex } from './words';

/** Source lines that carry TypeScript's syntax for fixes, looked up through the chunks (no table of the whole file is made unless asked for). */
class TypeScriptLines extends LineMap {
  /** TypeScript's spelling, with the file's own way to call the engine's clip once the file is parsed. */
  syntax: LanguageSyntax = TYPESCRIPT_SYNTAX;

  constructor(private readonly file: ChunkedFile) {
    super(file.text, () => file.lineStarts());
  }

  override get lineCount(): number {
    return this.file.lineCount;
  }

  override lineOf(offset: number): number {
    return this.file.lineOf(offset);
  }

  override position(offset: number): Position {
    const line = this.file.lineOf(offset);
    return { line, character: offset - this.file.lineStart(line) };
  }

  override offset(position: Position): number {
    if (position.line >= this.lineCount) return this.text.length;
    const line = Math.max(position.line, 0);
    return Math.min(this.file.lineStart(line) + Math.max(position.character, 0), this.file.lineStart(line + 1));
  }

  override lineText(line: number): string {
    const start = this.file.lineStart(line);
    let end = this.file.lineStart(line + 1);
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return this.text.slice(start, end);
  }
}

export interface TypeScriptFrontEndOptions {
  /** Parse every file whole, without chunks (what chunking must agree with: tests compare the two). */
  whole?: boolean;
}

export class TypeScriptFrontEnd implements FrontEnd {
  private readonly splitter = new ChunkSplitter<PieceMemo>(() => ({}));
  /** Versions `run` has seen. */
  private version = 0;
  /** The last file `run` parsed, and from which version: the next version goes through TypeScript's incremental parser from it. */
  private last?: { file: ts.SourceFile; version: number; chunked: ChunkedFile };

  constructor(private readonly options: TypeScriptFrontEndOptions = {}) {}

  run(text: string): FrontEndResult {
    const { chunks, change } = this.splitter.split(text);
    const version = ++this.version;
    const chunked = this.chunked(text, chunks);
    const previous = this.last;
    this.last = undefined;
    return analyse(chunked, (fresh) => {
      let file: ts.SourceFile;
      if (!previous || previous.file.fileName !== fresh.fileName) file = fresh.parse();
      else if (previous.file.text === fresh.text) file = previous.file;
      else {
        // The chunks say what changed when they came from the version parsed last; otherwise compare the texts.
        const known = change && previous.version === version - 1 && !previous.chunked.whole && !chunked.whole;
        const range = known ? narrowed(previous.file.text, fresh.text, chunked.changeSince(change, previous.file.text.length)) : changeRange(previous.file.text, fresh.text);
        file = ts.updateSourceFile(previous.file, fresh.text, range);
      }
      this.last = { file, version, chunked };
      return file;
    });
  }

  /** Parses afresh: the incremental parser takes over the tree it starts from, and `run`'s must stay. */
  trial(text: string): FrontEndResult {
    return analyse(this.chunked(text, this.splitter.peek(text).chunks), (fresh) => fresh.parse());
  }

  private chunked(text: string, chunks: FileChunk[]): ChunkedFile {
    // JSX (whose `<`/`/` the split does not read) and TensorFlow.js code (whose clip helpers may sit
    // in any chunk: clip-helpers.ts) are parsed whole; so is every file when asked to.
    const chunked = new ChunkedFile(text, chunks);
    return this.options.whole || chunked.wantsWhole ? new ChunkedFile(text, [{ piece: new ChunkText(text, {}), start: 0 }], true) : chunked;
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

/**
 * `range` without the characters at its ends that did not change: TypeScript's incremental parse
 * costs more than a fresh one when told a whole statement changed, and far less for a character.
 */
function narrowed(before: string, after: string, range: ts.TextChangeRange): ts.TextChangeRange {
  let start = range.span.start;
  let oldEnd = start + range.span.length;
  let newEnd = start + range.newLength;
  while (start < oldEnd && start < newEnd && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return ts.createTextChangeRange(ts.createTextSpan(start, oldEnd - start), newEnd - start);
}

interface FreshParse {
  fileName: string;
  text: string;
  parse(): ts.SourceFile;
}

function analyse(chunked: ChunkedFile, parse: (fresh: FreshParse) => ts.SourceFile): FrontEndResult {
  const source = new TypeScriptLines(chunked);
  const empty: FrontEndResult = { units: [], pieceLines: new Map(), comments: chunked.comments(), syntaxErrors: 0, source };
  if (!chunked.mentionsGradients) return empty;
  // A chunked file holds no JSX (JSX is parsed whole).
  const jsx = chunked.whole && hasJsx(chunked.chunks[0].piece);
  const fileName = jsx ? 'file.tsx' : 'file.ts';
  const text = chunked.parsed;
  const file = parse({ fileName, text, parse: () => ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, jsx ? ts.ScriptKind.TSX : ts.ScriptKind.TS) });
  const diagnostics = (file as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics;
  const bindings = new Bindings(file, chunked.bindingWords());
  source.syntax = withEngineClip(TYPESCRIPT_SYNTAX, file, source);
  return { ...empty, units: units(file, source, bindings, chunked.gradientWords(), chunked.whole), syntaxErrors: diagnostics?.length ?? 0 };
}

type FunctionWithBody = HelperFunction;

/** `words`: where GRADIENT_WORDS match in the parsed text. */
function* units(file: ts.SourceFile, lines: LineMap, bindings: Bindings, words: WordIndex, whole: boolean): Generator<UnitSource> {
  const text = file.text;
  // From the node's first token: comments before it (trivia) are not its code. Where the words are
  // not even in the node's full text, its first token need not be found.
  const mentions = (node: ts.Node) => words.has(node.pos, node.end) && words.has(node.getStart(file), node.end);
  // The module's declarations are read for the settings a loop states (its optimizer's learning rate, a `const MAX_NORM`).
  const context = `${bindingsKey(bindings, whole)}:${moduleStatedContext(file)}`;
  const top = file.statements.filter((s) => !ts.isFunctionDeclaration(s) && !ts.isClassDeclaration(s) && mentions(s));
  // Every function that mentions gradients, before any unit is built: the helpers a unit may inline.
  const functions: FunctionWithBody[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) functions.push(node as FunctionWithBody);
    ts.forEachChild(node, (child) => {
      if (mentions(child)) visit(child);
    });
  };
  if (words.has(0, text.length)) visit(file);
  const helpers = new SameFileHelpers(file, functions);
  if (top.length) {
    // Module code reads the text from its first statement to its last (a fix moves code across what lies between) and ends where the
    // file does; imports make no events (what they bind is in the context), so a training loop at the end of the file is not keyed by all that lies above it.
    const first = (top.find((s) => !ts.isImportDeclaration(s)) ?? top[0]).getStart(file);
    const at = lines.position(first);
    const end = lines.position(lines.text.length);
    const code = text.slice(first, top[top.length - 1].end);
    // A unit's results depend on the helpers it inlines too: their text and where they are.
    const key = `m:${context}:${at.line}:${at.character}:${end.line}:${end.character}:${code}:${helpers.dependencyKey(code, undefined, 0, (o) => lines.position(o))}`;
    yield unitSource(key, 0, () => build(file, lines, bindings, '<module>', 'module', file, top, helpers));
  }
  for (const fn of functions) {
    const start = fn.getStart(file);
    const anchor = lines.lineOf(start);
    const name = functionName(fn);
    const kind = ts.isMethodDeclaration(fn) || ts.isConstructorDeclaration(fn) || ts.isGetAccessor(fn) || ts.isSetAccessor(fn) ? 'method' : ts.isFunctionDeclaration(fn) ? 'function' : 'closure';
    const body = ts.isBlock(fn.body) ? fn.body.statements : [ts.factory.createExpressionStatement(fn.body)];
    // The key holds the whole file's text outside this function only through what it binds: the imports and receivers.
    const code = text.slice(start, fn.end);
    const key = `f:${context}:${lines.position(start).character}:${code}:${helpers.dependencyKey(code, fn, anchor, (o) => lines.position(o))}:${enclosingStatedContext(file, fn)}`;
    yield unitSource(key, anchor, () => build(file, lines, bindings, name, kind, fn, ts.isBlock(fn.body) ? body : [], helpers));
  }
}

/** `whole`: a file parsed whole may use TensorFlow.js; a chunked one does not (its clip helpers are none). */
function bindingsKey(bindings: Bindings, whole: boolean): string {
  return JSON.stringify([[...bindings.imports], [...bindings.receivers], whole ? bindings.helpersKey() : '']);
}

function unitSource(key: string, anchorLine: number, make: () => Unit): UnitSource {
  return { key, anchorLine, build: () => ({ unit: make(), dependencies: [] }) };
}

function build(file: ts.SourceFile, lines: LineMap, bindings: Bindings, name: string, kind: Unit['kind'], node: ts.Node, statements: readonly ts.Statement[], helpers: SameFileHelpers): Unit {
  const start = node === file ? 0 : node.getStart(file);
  const inlining = { helpers, stack: node === file ? [] : [node], via: [] };
  const graph = new TypeScriptFlowBuilder(file, lines, bindings, `${name}@${start}`, undefined, inlining).build(statements);
  // The parsed text may stop after its last relevant chunk: module code ends where the file does.
  const end = node === file ? lines.text.length : node.end;
  return { name, kind, range: { start: lines.position(start), end: lines.position(end) }, graph, facts: { settings: typescriptTrainingSettings(graph, file, lines, node, bindings) } };
}
