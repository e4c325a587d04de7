// Where a one-shot iterable is made and where it is used up, read from a statement or a call as
// the flow graph is built: the uses go into the graph (IterableUse), and CLP009 asks its paths.
import type { IterableUse, Guard } from '../model/events';
import type { CallExpr, Expr, Span, Stmt } from './ast';
import type { Chunk } from './module';
import type { Scope } from './scopes';
import type { Environment, Resolver } from './resolve';
import { consumerOf, isOneShot, isSelfAttribute, iterableKey, oneShotBinding } from './one-shot';

/** Where the code being read is: its scope, inlining environment, chunk and the conditions around it. */
export interface UsePlace {
  scope: Scope;
  env?: Environment;
  chunk: Chunk;
  guards: Guard[];
  resolver: Resolver;
}

/** A call that uses up a one-shot iterable it is handed (an optimizer built from it, `list(…)`, a helper that does). */
export function consumptions(call: CallExpr, place: UsePlace): IterableUse[] {
  const uses: IterableUse[] = [];
  for (const arg of call.args) {
    if (arg.star || !(arg.value.type === 'Name' || isSelfAttribute(arg.value))) continue;
    const found = oneShotBinding(arg.value, place.scope, place.env, place.resolver);
    if (!found) continue;
    const by = consumerOf(call, arg, place.scope, place.env, place.resolver);
    if (by) uses.push({ key: found.key, kind: 'consume', by, range: place.chunk.range(call.start, call.end), guards: place.guards });
  }
  return uses;
}

/** `for x in it:` or a comprehension over `it`: a one-shot `it` is used up. */
export function iteration(iterated: Expr, at: Span, place: UsePlace): IterableUse[] {
  if (!(iterated.type === 'Name' || isSelfAttribute(iterated))) return [];
  const found = oneShotBinding(iterated, place.scope, place.env, place.resolver);
  return found ? [{ key: found.key, kind: 'consume', by: 'earlier-use', range: place.chunk.range(at.start, at.end), guards: place.guards }] : [];
}

/** `x = filter(…)`, `self.params = (p for p in …)`: a fresh one-shot iterable from here on. */
export function creations(stmt: Extract<Stmt, { type: 'Assign' }>, place: UsePlace): IterableUse[] {
  const value = stmt.value;
  if (!value || stmt.op || !isOneShot(value, place.scope, place.resolver)) return [];
  const uses: IterableUse[] = [];
  for (const target of stmt.targets) {
    if (target.type !== 'Name' && !isSelfAttribute(target)) continue;
    uses.push({ key: iterableKey(place.chunk.id, target.start), kind: 'create', range: place.chunk.range(stmt.start, stmt.end), guards: place.guards });
  }
  return uses;
}
