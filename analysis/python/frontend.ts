// The Python front end: a parsed module becomes units (module code, functions, methods, nested
// functions), each with its flow graph and the framework facts rules need.
import type { Unit, UnitFacts } from '../model/graph';
import type { ProjectContext } from '../project/context';
import type { Stmt } from './ast';
import { childBlocks } from './ast';
import { definitionMemo, recordChunks, type ParsedChunk, type ParsedModule, type Chunk } from './module';
import type { UnitSource } from '../frontend';
import { buildModuleScope, type ClassInfo, type FunctionInfo, type Scope } from './scopes';
import { Resolver } from './resolve';
import { FlowBuilder } from './flow';
import { mayTouchGradients, textMayTouchGradients } from './relevance';
import { pythonTrainingSettings } from '../loop-shape-python';

/**
 * The module's units as sources the analyzer builds on demand: module-level code first, then
 * every function and method that may touch gradients. `signatures` interns the module context
 * (its non-definition code and the names it defines) across calls.
 */
export function* pythonUnits(module: ParsedModule, signatures: Map<string, number>, style = '', project?: ProjectContext): Generator<UnitSource> {
  const resolver = new Resolver();
  const scope = buildModuleScope(module.chunks);
  // What the file reads of other modules of the project is part of every unit's context.
  let imported = '';
  if (project) {
    scope.linker = project.linker;
    imported = project.fingerprint();
  }
  const signature = contextSignature(module.chunks, signatures, style + '\u0004' + imported);
  const own = new Map(module.chunks.map((chunk) => [chunk.parsed, chunk]));
  const facts: UnitFacts = project ? { ownedElsewhere: (event) => event.site.file !== undefined && project.reportsOwn(event.site.file, event.origin) } : {};

  if (module.chunks.length && textMayTouchGradients(module.text)) {
    yield source(`m:${signature}`, 0, own, () => moduleUnit(module.chunks, scope, resolver, facts));
  }
  for (const fn of allFunctions(scope)) {
    if (!mayTouchGradients(fn, resolver)) continue;
    const full = fn.withBody() ?? fn;
    yield source(`f:${signature}:${fn.chunk.id}:${fn.def.start}`, fn.chunk.startLine, own, () => functionUnit(full, resolver, facts));
  }
}

/** A unit to build; its kept result depends on the chunks of this file it read (other modules are in the key). */
function source(key: string, anchorLine: number, own: ReadonlyMap<ParsedChunk, Chunk>, build: () => Unit): UnitSource {
  return {
    key,
    anchorLine,
    build() {
      const { value: unit, chunks } = recordChunks(build);
      // Chunks of this file (a definition read in full later stands for its chunk); other files' are not pieces of it.
      const read = new Set<Chunk>();
      for (const chunk of chunks) {
        const mine = own.get(chunk.parsed) ?? (chunk.parsed.memo.headerOf && own.get(chunk.parsed.memo.headerOf));
        if (mine) read.add(mine);
      }
      return { unit, dependencies: [...read].map((chunk) => ({ piece: chunk.id, offset: chunk.startLine - anchorLine })) };
    },
  };
}

function functionUnit(fn: FunctionInfo, resolver: Resolver, shared: UnitFacts): Unit {
  fn.chunk.touch();
  const graph = new FlowBuilder(resolver).build(fn.def.body, fn.scope, fn.chunk);
  return {
    name: fn.cls ? `${fn.cls.name}.${fn.name}` : fn.name,
    kind: fn.cls ? 'method' : fn.parent.kind === 'function' ? 'closure' : 'function',
    range: fn.chunk.range(fn.def.start, fn.def.end),
    graph,
    facts: {
      ...shared,
      lightningAutomaticTrainingStep: fn.name === 'training_step' && !!fn.cls && isAutomaticLightningModule(fn.cls, resolver),
      settings: pythonTrainingSettings(graph, fn.scope, resolver),
    },
  };
}

/**
 * What every unit's meaning depends on besides its own code: the module's code outside
 * definitions (imports, assignments, script code) and the names it defines.
 */
let nextSignature = 1;

function contextSignature(chunks: Chunk[], signatures: Map<string, number>, style: string): number {
  const parts: string[] = [];
  const names: string[] = [];
  for (const chunk of chunks) {
    const outline = chunk.parsed.partial ? chunk.parsed.memo.facts?.outline : undefined;
    if (outline) {
      names.push(outline.name);
      continue;
    }
    const body = chunk.body;
    if (body.length === 1 && (body[0].type === 'FunctionDef' || body[0].type === 'ClassDef')) names.push(body[0].name);
    else parts.push(chunk.parsed.text);
  }
  const text = parts.join('\u0001') + '\u0002' + names.join(',') + '\u0003' + style;
  let id = signatures.get(text);
  if (id === undefined) {
    if (signatures.size > 64) signatures.clear();
    signatures.set(text, (id = nextSignature++));
  }
  return id;
}

/**
 * Module-level code: statements of every chunk, in order, as one body. Definitions are units of
 * their own, so a chunk holding only a definition whose body was not parsed is not even opened.
 */
function moduleUnit(chunks: Chunk[], scope: Scope, resolver: Resolver, shared: UnitFacts): Unit {
  const builder = new FlowBuilder(resolver);
  // Chunks differ in positions, so each top-level statement is built with its own chunk.
  let graph = builder.graph;
  let current = graph.entry;
  for (const chunk of chunks) if (!chunk.parsed.partial) builder.noteOptimizerLoops(chunk.body, chunk, undefined);
  for (const chunk of chunks) {
    if (chunk.parsed.partial) continue;
    for (const stmt of chunk.body) {
      if (stmt.type === 'FunctionDef' || stmt.type === 'ClassDef' || stmt.type === 'Import' || stmt.type === 'ImportFrom') continue;
      current = builder.continueWith([stmt], scope, chunk, current, undefined, true);
    }
  }
  graph = builder.finish(current);
  const first = chunks[0];
  const last = chunks[chunks.length - 1];
  const end = last.parsed.text.trimEnd().length;
  return { name: '<module>', kind: 'module', range: { start: first.range(0, 0).start, end: last.range(end, end).end }, graph, facts: { ...shared, settings: pythonTrainingSettings(graph, scope, resolver) } };
}

/**
 * Every function, method and nested function that may be a unit. Classes whose text never
 * mentions gradients are not opened, and a function's scope is built only to reach nested
 * definitions: most code in a large file (models, data, utilities) costs nothing here.
 */
function* allFunctions(scope: Scope): Iterable<FunctionInfo> {
  for (const fn of scope.functions.values()) {
    yield fn;
    if (hasNestedDefinitions(fn)) yield* allFunctions(fn.scope);
  }
  for (const cls of scope.classes.values()) {
    if (!classMayTouchGradients(cls)) continue;
    for (const method of cls.methods.values()) {
      yield method;
      if (hasNestedDefinitions(method)) yield* allFunctions(method.scope);
    }
  }
}

function hasNestedDefinitions(fn: FunctionInfo): boolean {
  if (fn.chunk.parsed.partial) return false;
  const memo = definitionMemo(fn.chunk.parsed, fn.def.start);
  const visit = (stmts: Stmt[]): boolean => stmts.some((s) => s.type === 'FunctionDef' || s.type === 'ClassDef' || childBlocks(s).some(visit));
  return (memo.hasNestedDefinitions ??= visit(fn.def.body));
}

function classMayTouchGradients(cls: ClassInfo): boolean {
  if (cls.chunk.parsed.partial) return false;
  const memo = definitionMemo(cls.chunk.parsed, cls.def.start);
  return (memo.mentionsGradients ??= textMayTouchGradients(cls.chunk.parsed.text.slice(cls.def.start, cls.def.end)));
}

/** A LightningModule subclass that leaves optimization to Lightning (the default). */
function isAutomaticLightningModule(cls: ClassInfo, resolver: Resolver): boolean {
  // The class and the classes of this file it derives from, up to Lightning's own.
  const lineage: ClassInfo[] = [];
  let lightning = false;
  const visit = (c: ClassInfo, depth: number) => {
    if (depth > 5 || lineage.includes(c)) return;
    lineage.push(c);
    for (const base of c.def.bases) {
      const local = resolver.localClass(base.value, c.scope);
      if (local) visit(local, depth + 1);
      else if (/LightningModule$/.test(resolver.qualify(base.value, c.scope) ?? (base.value.type === 'Name' ? base.value.id : base.value.type === 'Attribute' ? base.value.attr : ''))) lightning = true;
    }
  };
  visit(cls, 0);
  if (!lightning) return false;
  return !lineage.some(turnsOffAutomaticOptimization);
}

function turnsOffAutomaticOptimization(cls: ClassInfo): boolean {
  const manual = (cls.selfAttributes.get('automatic_optimization') ?? []).some((b) => b.value.type === 'Constant' && b.value.kind === 'false');
  const classLevel = (cls.scope.bindings.get('automatic_optimization') ?? []).some((b) => b.value.type === 'Constant' && b.value.kind === 'false');
  const property = cls.methods.get('automatic_optimization');
  const propertyFalse = property ? /return\s+False/.test(property.text) : false;
  return manual || classLevel || propertyFalse;
}
