// Renaming a name imported with `from … import name`: the import entry and every use of the
// name in the importing scope, so that the renamed code still runs.
import type { TextEdit } from '../api';
import type { Expr, Stmt } from './ast';
import { childBlocks, walkExpr } from './ast';
import type { Chunk } from './module';
import type { Scope } from './scopes';

export function renameImported(owner: Scope, name: string, newName: string): TextEdit[] | undefined {
  const bodies: Array<{ body: Stmt[]; chunk: Chunk }> = owner.fn
    ? [{ body: owner.fn.def.body, chunk: owner.fn.chunk }]
    : owner.kind === 'module'
      ? owner.chunks.map((chunk) => ({ body: chunk.body, chunk }))
      : [];
  const edits: TextEdit[] = [];
  let importFound = false;
  let aliased = false;
  for (const { body, chunk } of bodies) {
    walkStatements(body, (stmt) => {
      if (stmt.type === 'ImportFrom') {
        for (const alias of stmt.names) {
          if ((alias.asname ?? alias.name) !== name) continue;
          importFound = true;
          aliased = alias.asname !== undefined;
          const nameEnd = alias.start + alias.name.length;
          edits.push({ range: chunk.range(alias.start, nameEnd), newText: aliased ? newName : newName });
        }
      }
    }, (expr) => {
      if (expr.type === 'Name' && expr.id === name) edits.push({ range: chunk.range(expr.start, expr.end), newText: newName });
    }, owner.fn !== undefined);
  }
  if (!importFound) return undefined;
  // `from m import old as alias`: only the imported name changes; uses keep the alias.
  if (aliased) return edits.slice(0, 1);
  // The new name must be free: any binding of it (an assignment, a definition, a parameter, an
  // import, a loop or `as` target), here or in a nested scope, would capture the renamed calls.
  // And every use must be seen: code whose body was never parsed is read as text.
  for (const { body, chunk } of bodies) {
    if (chunk.parsed.partial) {
      if (mentions(chunk.parsed.text, newName) || mentions(chunk.parsed.text, name)) return undefined;
      continue;
    }
    if (bindsOrUses(body, newName)) return undefined;
  }
  return edits;
}

/** The text has `name` as a whole word that is not an attribute (`x.name`). */
function mentions(text: string, name: string): boolean {
  return new RegExp(`(?<![\\w.])${name}(?!\\w)`).test(text);
}

/** `name` is bound or read anywhere in these statements, nested functions and classes included. */
function bindsOrUses(body: Stmt[], name: string): boolean {
  let found = false;
  const visitExpr = (expr: Expr) => {
    if (expr.type === 'Name' && expr.id === name) found = true;
    if (expr.type === 'Lambda' && expr.params.some((p) => p.name === name)) found = true;
  };
  walkStatements(body, (stmt) => {
    if ((stmt.type === 'FunctionDef' || stmt.type === 'ClassDef') && stmt.name === name) found = true;
    if (stmt.type === 'FunctionDef' && stmt.params.some((p) => p.name === name)) found = true;
    if (stmt.type === 'Import' || stmt.type === 'ImportFrom') {
      for (const alias of stmt.names) if ((alias.asname ?? alias.name.split('.')[0]) === name) found = true;
    }
    if (stmt.type === 'Try' && stmt.handlers.some((h) => h.name === name)) found = true;
    if (stmt.type === 'Match') for (const c of stmt.cases) walkExpr(c.pattern, visitExpr);
  }, visitExpr, true);
  return found;
}

/** `from m import a [as b]` → `from m import a [as b], newName`: an edit after the statement's last name. */
export function importAlongside(owner: Scope, name: string, newName: string): TextEdit | undefined {
  const bodies = owner.kind === 'module' ? owner.chunks.map((chunk) => ({ body: chunk.body, chunk })) : owner.fn ? [{ body: owner.fn.def.body, chunk: owner.fn.chunk }] : [];
  for (const { body, chunk } of bodies) {
    for (const stmt of body) {
      if (stmt.type !== 'ImportFrom' || !stmt.names.some((alias) => (alias.asname ?? alias.name) === name)) continue;
      const last = stmt.names[stmt.names.length - 1];
      const at = chunk.range(last.end, last.end).start;
      return { range: { start: at, end: at }, newText: `, ${newName}` };
    }
  }
  return undefined;
}

/** Visits statements and every expression in them (not entering nested functions at module level). */
function walkStatements(body: Stmt[], onStmt: (s: Stmt) => void, onExpr: (e: Expr) => void, enterFunctions: boolean): void {
  for (const stmt of body) {
    onStmt(stmt);
    for (const expr of statementExpressions(stmt)) walkExpr(expr, onExpr);
    if ((stmt.type === 'FunctionDef' || stmt.type === 'ClassDef') && !enterFunctions) {
      // Module-level rename: functions use the module's name too, unless they rebind it (rare).
      walkStatements(stmt.body, onStmt, onExpr, enterFunctions);
      continue;
    }
    for (const block of childBlocks(stmt)) walkStatements(block, onStmt, onExpr, enterFunctions);
  }
}

function statementExpressions(stmt: Stmt): Expr[] {
  switch (stmt.type) {
    case 'Expr': return [stmt.value];
    case 'Assign': return [...stmt.targets, ...(stmt.value ? [stmt.value] : [])];
    case 'Return': return stmt.value ? [stmt.value] : [];
    case 'If': case 'While': return [stmt.test];
    case 'For': return [stmt.target, stmt.iter];
    case 'With': return stmt.items.flatMap((i) => [i.context, ...(i.target ? [i.target] : [])]);
    case 'Assert': return [stmt.test, ...(stmt.msg ? [stmt.msg] : [])];
    case 'Raise': return stmt.exc ? [stmt.exc] : [];
    case 'Delete': return stmt.targets;
    case 'FunctionDef': return [...stmt.decorators, ...stmt.params.flatMap((p) => (p.default ? [p.default] : []))];
    case 'ClassDef': return [...stmt.decorators, ...stmt.bases.map((b) => b.value)];
    case 'Match': return [stmt.subject];
    default: return [];
  }
}
