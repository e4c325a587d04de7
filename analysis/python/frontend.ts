// The Python front end: a parsed module becomes units (module code, functions, methods, nested
// functions), each with its flow graph and the framework facts rules need.
import type { Unit } from '../model/graph';
import type { Stmt } from './ast';
import type { ParsedModule, Chunk } from './module';
import { buildModuleScope, type ClassInfo, type FunctionInfo, type Scope } from './scopes';
import { Resolver } from './resolve';
import { FlowBuilder } from './flow';
import { mayTouchGradients, textMayTouchGradients } from './relevance';

export function* pythonUnits(module: ParsedModule): Generator<Unit> {
  const resolver = new Resolver();
  const scope = buildModuleScope(module.chunks);

  const topLevel: Array<{ stmt: Stmt; chunk: Chunk }> = [];
  for (const chunk of module.chunks) for (const stmt of chunk.body) topLevel.push({ stmt, chunk });
  if (topLevel.length && textMayTouchGradients(module.text)) {
    yield moduleUnit(topLevel, scope, resolver);
  }
  for (const fn of allFunctions(scope)) {
    if (!mayTouchGradients(fn, resolver)) continue;
    const builder = new FlowBuilder(resolver);
    const graph = builder.build(fn.def.body, fn.scope, fn.chunk);
    yield {
      name: fn.cls ? `${fn.cls.name}.${fn.name}` : fn.name,
      kind: fn.cls ? 'method' : fn.parent.kind === 'function' ? 'closure' : 'function',
      range: fn.chunk.range(fn.def.start, fn.def.end),
      graph,
      facts: {
        lightningAutomaticTrainingStep: fn.name === 'training_step' && !!fn.cls && isAutomaticLightningModule(fn.cls, resolver),
      },
    };
  }
}

/** Module-level code: statements of every chunk, in order, as one body. */
function moduleUnit(topLevel: Array<{ stmt: Stmt; chunk: Chunk }>, scope: Scope, resolver: Resolver): Unit {
  const builder = new FlowBuilder(resolver);
  // Chunks differ in positions, so each top-level statement is built with its own chunk.
  let graph = builder.graph;
  let current = graph.entry;
  for (const { stmt, chunk } of topLevel) {
    if (stmt.type === 'FunctionDef' || stmt.type === 'ClassDef' || stmt.type === 'Import' || stmt.type === 'ImportFrom') continue;
    current = builder.continueWith([stmt], scope, chunk, current, undefined, true);
  }
  graph = builder.finish(current);
  const first = topLevel[0];
  const last = topLevel[topLevel.length - 1];
  const start = first.chunk.range(first.stmt.start, first.stmt.start).start;
  const end = last.chunk.range(last.stmt.end, last.stmt.end).end;
  return { name: '<module>', kind: 'module', range: { start, end }, graph, facts: {} };
}

function* allFunctions(scope: Scope): Iterable<FunctionInfo> {
  for (const fn of scope.functions.values()) {
    yield fn;
    yield* allFunctions(fn.scope);
  }
  for (const cls of scope.classes.values()) {
    for (const method of cls.methods.values()) {
      yield method;
      yield* allFunctions(method.scope);
    }
  }
}

/** A LightningModule subclass that leaves optimization to Lightning (the default). */
function isAutomaticLightningModule(cls: ClassInfo, resolver: Resolver): boolean {
  const lightning = cls.def.bases.some((b) => /LightningModule$/.test(resolver.qualify(b.value, cls.scope) ?? (b.value.type === 'Name' ? b.value.id : b.value.type === 'Attribute' ? b.value.attr : '')));
  if (!lightning) return false;
  const manual = (cls.selfAttributes.get('automatic_optimization') ?? []).some((b) => b.value.type === 'Constant' && b.value.kind === 'false');
  const classLevel = (cls.scope.bindings.get('automatic_optimization') ?? []).some((b) => b.value.type === 'Constant' && b.value.kind === 'false');
  const property = cls.methods.get('automatic_optimization');
  const propertyFalse = property ? /return\s+False/.test(property.text) : false;
  return !(manual || classLevel || propertyFalse);
}
