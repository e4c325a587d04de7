// "Add gradient clipping before this step" in TypeScript/JavaScript: offered where the step's
// optimizer is one of our engine's (constructed from a class imported from it), because only
// there is there one clip that means what torch's does and one way to name the parameters
// (`optimizer.params`). The call is spelled through the file's own import of the engine: the name
// it imports `clipGradNorm_` as, its namespace (`engine.clipGradNorm_`), or `clipGradNorm_` added to
// its named imports when the file uses that name for nothing else. Other libraries get no action.
import ts from 'typescript';
import type { TextEdit } from '../api';
import type { LanguageSyntax } from '../syntax';
import type { LineMap } from '../text';
import { clipLibrary } from './clip-api';
import { receiverKey } from './vocabulary';

const CLIP = 'clipGradNorm_';

interface EngineImport {
  /** How the file calls the engine's clip. */
  callee: string;
  /** The edit that makes `callee` resolve, when the file does not import it yet. */
  addImport?: TextEdit;
}

export function withEngineClip(base: LanguageSyntax, file: ts.SourceFile, lines: LineMap): LanguageSyntax {
  let spelling: { engine?: EngineImport; optimizers: Set<string> } | undefined;
  const known = () => (spelling ??= { engine: engineImport(file, lines), optimizers: engineOptimizers(file) });
  return {
    ...base,
    clipCall: (optimizer) => {
      const { engine, optimizers } = known();
      return engine && optimizers.has(optimizer) ? `${engine.callee}(${optimizer}.params, 1.0);` : undefined;
    },
    clipImport: () => known().engine?.addImport,
  };
}

function engineImport(file: ts.SourceFile, lines: LineMap): EngineImport | undefined {
  let named: ts.NamedImports | undefined;
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || clipLibrary(statement.moduleSpecifier.text) !== 'engine') continue;
    const clause = statement.importClause;
    if (!clause || clause.isTypeOnly) continue;
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) return { callee: `${bindings.name.text}.${CLIP}` };
    if (bindings && ts.isNamedImports(bindings)) {
      const clip = bindings.elements.find((e) => (e.propertyName ?? e.name).text === CLIP && !e.isTypeOnly);
      if (clip) return { callee: clip.name.text };
      named ??= bindings;
    }
  }
  const last = named?.elements[named.elements.length - 1];
  // The name must be free: a function, variable or other import of that name would be shadowed or clash.
  if (!last || new RegExp(`\\b${CLIP}\\b`).test(file.text)) return undefined;
  const at = lines.position(last.end);
  return { callee: CLIP, addImport: { range: { start: at, end: at }, newText: `, ${CLIP}` } };
}

/** Receivers (`optimizer`, `this.opt`) every binding of which constructs a class imported from the engine. */
function engineOptimizers(file: ts.SourceFile): Set<string> {
  const engineNames = new Set<string>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || clipLibrary(statement.moduleSpecifier.text) !== 'engine') continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) engineNames.add(e.name.text);
    if (bindings && ts.isNamespaceImport(bindings)) engineNames.add(bindings.name.text);
  }
  const verdicts = new Map<string, boolean>();
  const note = (key: string | undefined, value: ts.Expression) => {
    if (!key) return;
    let e = value;
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    let root: ts.Expression | undefined = ts.isNewExpression(e) ? e.expression : undefined;
    while (root && ts.isPropertyAccessExpression(root)) root = root.expression;
    const engine = !!root && ts.isIdentifier(root) && engineNames.has(root.text);
    verdicts.set(key, (verdicts.get(key) ?? true) && engine);
  };
  if (!engineNames.size) return new Set();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) {
      if (node.initializer) note(node.name.text, node.initializer);
      else verdicts.set(node.name.text, false);
    } else if (ts.isPropertyDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) note(`this.${node.name.text}`, node.initializer);
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) note(receiverKey(node.left), node.right);
    else if (ts.isParameter(node) && ts.isIdentifier(node.name)) verdicts.set(node.name.text, false);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return new Set([...verdicts].filter(([, engine]) => engine).map(([key]) => key));
}
