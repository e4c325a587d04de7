// The syntax tree the Python front end builds: the statements and expressions the step model
// needs, with offsets relative to the parsed text. Anything the parser cannot read becomes an
// `Error` node covering the tokens it skipped, so the rest of the file still has a tree.

export interface Span {
  start: number;
  end: number;
}

export type Expr =
  | NameExpr | AttributeExpr | CallExpr | SubscriptExpr | ConstantExpr | BinOpExpr | UnaryOpExpr
  | BoolOpExpr | CompareExpr | LambdaExpr | IfExpExpr | SequenceExpr | DictExpr | ComprehensionExpr
  | StarredExpr | NamedExpr | AwaitExpr | YieldExpr | SliceExpr | ErrorExpr;

export interface NameExpr extends Span { type: 'Name'; id: string }
export interface AttributeExpr extends Span { type: 'Attribute'; value: Expr; attr: string; attrStart: number; optional?: boolean }
export interface Argument extends Span { name?: string; star?: '*' | '**'; value: Expr }
export interface CallExpr extends Span { type: 'Call'; func: Expr; args: Argument[]; argsStart: number }
export interface SubscriptExpr extends Span { type: 'Subscript'; value: Expr; index: Expr }
export interface ConstantExpr extends Span { type: 'Constant'; kind: 'number' | 'string' | 'none' | 'true' | 'false' | 'ellipsis'; raw: string }
export interface BinOpExpr extends Span { type: 'BinOp'; op: string; left: Expr; right: Expr }
export interface UnaryOpExpr extends Span { type: 'UnaryOp'; op: string; operand: Expr }
export interface BoolOpExpr extends Span { type: 'BoolOp'; op: 'and' | 'or'; values: Expr[] }
export interface CompareExpr extends Span { type: 'Compare'; left: Expr; ops: string[]; comparators: Expr[] }
export interface LambdaExpr extends Span { type: 'Lambda'; params: Param[]; body: Expr }
export interface IfExpExpr extends Span { type: 'IfExp'; test: Expr; body: Expr; orelse: Expr }
export interface SequenceExpr extends Span { type: 'Tuple' | 'List' | 'Set'; elts: Expr[] }
export interface DictExpr extends Span { type: 'Dict'; keys: (Expr | null)[]; values: Expr[] }
export interface Generator { target: Expr; iter: Expr; ifs: Expr[] }
export interface ComprehensionExpr extends Span { type: 'Comprehension'; kind: 'list' | 'set' | 'dict' | 'generator'; elt: Expr; value?: Expr; generators: Generator[] }
export interface StarredExpr extends Span { type: 'Starred'; value: Expr }
export interface NamedExpr extends Span { type: 'NamedExpr'; target: Expr; value: Expr }
export interface AwaitExpr extends Span { type: 'Await'; value: Expr }
export interface YieldExpr extends Span { type: 'Yield'; value?: Expr }
export interface SliceExpr extends Span { type: 'Slice'; lower?: Expr; upper?: Expr; step?: Expr }
export interface ErrorExpr extends Span { type: 'Error' }

export interface Param extends Span { name: string; kind: 'normal' | 'star' | 'kwstar'; default?: Expr }

export type Stmt =
  | ExprStmt | AssignStmt | ImportStmt | ImportFromStmt | IfStmt | ForStmt | WhileStmt | TryStmt
  | WithStmt | FunctionDefStmt | ClassDefStmt | ReturnStmt | RaiseStmt | SimpleKeywordStmt
  | DeleteStmt | AssertStmt | MatchStmt | ErrorStmt;

export interface ExprStmt extends Span { type: 'Expr'; value: Expr }
/** `a = b = value`, `a += value`, `a: T = value` (value absent for a bare annotation). */
export interface AssignStmt extends Span { type: 'Assign'; targets: Expr[]; value?: Expr; op?: string; annotation?: Expr }
export interface Alias extends Span { name: string; asname?: string }
export interface ImportStmt extends Span { type: 'Import'; names: Alias[] }
export interface ImportFromStmt extends Span { type: 'ImportFrom'; module: string; level: number; names: Alias[] }
export interface IfStmt extends Span { type: 'If'; test: Expr; body: Stmt[]; orelse: Stmt[]; elif?: boolean }
export interface ForStmt extends Span { type: 'For'; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[] }
export interface WhileStmt extends Span { type: 'While'; test: Expr; body: Stmt[]; orelse: Stmt[] }
export interface Handler extends Span { exceptionType?: Expr; name?: string; body: Stmt[] }
export interface TryStmt extends Span { type: 'Try'; body: Stmt[]; handlers: Handler[]; orelse: Stmt[]; finalbody: Stmt[] }
export interface WithItem { context: Expr; target?: Expr }
export interface WithStmt extends Span { type: 'With'; items: WithItem[]; body: Stmt[] }
export interface FunctionDefStmt extends Span { type: 'FunctionDef'; name: string; nameStart: number; params: Param[]; body: Stmt[]; decorators: Expr[]; isAsync: boolean }
export interface ClassDefStmt extends Span { type: 'ClassDef'; name: string; nameStart: number; bases: Argument[]; body: Stmt[]; decorators: Expr[] }
export interface ReturnStmt extends Span { type: 'Return'; value?: Expr }
export interface RaiseStmt extends Span { type: 'Raise'; exc?: Expr }
export interface SimpleKeywordStmt extends Span { type: 'Pass' | 'Break' | 'Continue' | 'Global' | 'Nonlocal' }
export interface DeleteStmt extends Span { type: 'Delete'; targets: Expr[] }
export interface AssertStmt extends Span { type: 'Assert'; test: Expr; msg?: Expr }
export interface MatchCase extends Span { pattern: Expr; guard?: Expr; body: Stmt[] }
export interface MatchStmt extends Span { type: 'Match'; subject: Expr; cases: MatchCase[] }
export interface ErrorStmt extends Span { type: 'Error'; /** A block skipped because it is nested too deeply to be real code. */ tooDeep?: boolean }

/** Statement kinds that hold nested statement lists. */
export function childBlocks(stmt: Stmt): Stmt[][] {
  switch (stmt.type) {
    case 'If':
    case 'For':
    case 'While':
      return [stmt.body, stmt.orelse];
    case 'Try':
      return [stmt.body, ...stmt.handlers.map((h) => h.body), stmt.orelse, stmt.finalbody];
    case 'With':
    case 'FunctionDef':
    case 'ClassDef':
      return [stmt.body];
    case 'Match':
      return stmt.cases.map((c) => c.body);
    default:
      return [];
  }
}

/** Dotted text of a name or attribute chain (`torch.nn.utils`), or undefined for anything else. */
export function dottedName(expr: Expr): string | undefined {
  if (expr.type === 'Name') return expr.id;
  if (expr.type === 'Attribute') {
    const base = dottedName(expr.value);
    return base === undefined ? undefined : `${base}.${expr.attr}`;
  }
  return undefined;
}

/** Visits an expression and every expression inside it, outermost first. */
export function walkExpr(expr: Expr | undefined, visit: (e: Expr) => void): void {
  if (!expr) return;
  visit(expr);
  switch (expr.type) {
    case 'Attribute': case 'Starred': case 'Await': walkExpr(expr.value, visit); break;
    case 'Call':
      walkExpr(expr.func, visit);
      for (const a of expr.args) walkExpr(a.value, visit);
      break;
    case 'Subscript': walkExpr(expr.value, visit); walkExpr(expr.index, visit); break;
    case 'BinOp': walkExpr(expr.left, visit); walkExpr(expr.right, visit); break;
    case 'UnaryOp': walkExpr(expr.operand, visit); break;
    case 'BoolOp': for (const v of expr.values) walkExpr(v, visit); break;
    case 'Compare':
      walkExpr(expr.left, visit);
      for (const v of expr.comparators) walkExpr(v, visit);
      break;
    case 'Lambda': walkExpr(expr.body, visit); break;
    case 'IfExp': walkExpr(expr.test, visit); walkExpr(expr.body, visit); walkExpr(expr.orelse, visit); break;
    case 'Tuple': case 'List': case 'Set': for (const v of expr.elts) walkExpr(v, visit); break;
    case 'Dict':
      for (const k of expr.keys) walkExpr(k ?? undefined, visit);
      for (const v of expr.values) walkExpr(v, visit);
      break;
    case 'Comprehension':
      walkExpr(expr.elt, visit);
      walkExpr(expr.value, visit);
      for (const g of expr.generators) {
        walkExpr(g.target, visit);
        walkExpr(g.iter, visit);
        for (const v of g.ifs) walkExpr(v, visit);
      }
      break;
    case 'NamedExpr': walkExpr(expr.target, visit); walkExpr(expr.value, visit); break;
    case 'Yield': walkExpr(expr.value, visit); break;
    case 'Slice': walkExpr(expr.lower, visit); walkExpr(expr.upper, visit); walkExpr(expr.step, visit); break;
  }
}
