// Gradients as values (TensorFlow.js): `tf.variableGrads(f)` returns a map of gradient tensors, a
// clip returns a new tensor, and `optimizer.applyGradients(map)` applies whichever map it is given.
// Per unit, which names hold gradient values, and which values: each value is identified by the
// call that made it (a backward, or a clip). Flow-insensitive on purpose: a name holds every value
// any assignment gives it, so a step "may apply" more than one value and a finding needs every one
// of them to miss the clip.
//
// Two relations: a name *is* a gradient (a map, an entry of one, a `{value, grads}` result) —
// what a clip must read to be a gradient clip (arithmetic on gradients is no gradient); and a name
// *carries* values (anything computed from them) — what a step applies and what escapes.
import ts from 'typescript';
import { capsAtOne, ITERATES_NOW, runsArgument, scaleCall, statementOf, tfjsCall, tfjsFunction, unwrap } from './tfjs';
import type { ClipHelpers } from './clip-helpers';
import { ReadingHelpers } from './reading-helpers';
import type { Bindings } from './vocabulary';
import { nameOfKey, ScopedNames } from './scoped-names';
import { both, element, GradientNames, type Gradient, type Kind } from './gradient-names';
import { isReference, usedValues } from './gradient-uses';
import { carriersOf, containerAssigned, holderOf, mapsInScope } from './gradient-holders';

export interface StepArgument {
  /** Values the argument carries; undefined when it carries none this unit knows (then it may apply anything). */
  ids?: ReadonlySet<string>;
  /** Names of gradient maps declared once with `const` in a block around the step, before it. */
  inScope: string[];
}

export interface ClipValue {
  reads: ReadonlySet<string>;
  makes: string;
  /** The clipped value flows into the map it reads (`grads[k] = clip(grads[k])`, a helper that clips in place). */
  inPlace: boolean;
  /** The name that holds the clipped value first (`clipped`), if any. */
  holder?: string;
  /** `holder` is a `const` whose initializer always runs the clip: a step may apply it by name. */
  definite: boolean;
  /** `holder` was given the value by an assignment to the name (`g = clip(g)`). */
  rebound?: boolean;
  /** Other constant maps that hold the value (GradientFlow.carriers). */
  carriers: string[];
  /** The clipped value is used by something other than a step, a dispose or a copy into a name. */
  escapes: boolean;
  /** The unit adds noise to gradients (differential privacy): clipping each example's gradients is the algorithm. */
  perExample: boolean;
  /** A scale by a factor capped at one (a norm clip written inline), not a clip call. */
  scaled?: boolean;
}


const EMPTY = new Set<string>();

/** Differentially private training: gradients clipped per example, summed, noised. */
const NOISE = /noise|privacy|privat|dp_?sgd|randomNormal|gaussian/i;

export class GradientValues {
  private readonly names = new GradientNames();
  private readonly scopes: ScopedNames;
  private readonly used: ReadonlySet<string>;
  private readonly noisy: boolean;
  private readonly reading: ReadingHelpers;
  /** The first argument of every `applyGradients` of the unit. */
  private readonly stepArguments: ts.Expression[] = [];

  constructor(
    roots: readonly ts.Node[],
    private readonly file: ts.SourceFile,
    private readonly bindings: Bindings,
    private readonly helpers: ClipHelpers,
    private readonly isOptimizer: (receiver: ts.Expression) => boolean,
  ) {
    this.scopes = new ScopedNames(roots);
    this.reading = new ReadingHelpers(helpers);
    this.noisy = roots.some((root) => NOISE.test(root.getText(file)));
    const sites: Array<() => boolean> = [];
    const visit = (node: ts.Node): void => {
      this.collect(node, sites);
      ts.forEachChild(node, visit);
    };
    for (const root of roots) visit(root);
    // Until nothing changes (each pass can only add): first what names may be, then (with all of
    // that known) which names are also given something else.
    for (const settled of [false, true]) {
      this.names.settled = settled;
      for (let pass = 0; pass < 8; pass++) {
        let changed = false;
        for (const site of sites) if (site()) changed = true;
        if (!changed) break;
      }
    }
    const findSteps = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.arguments.length && tfjsCall(node, bindings, isOptimizer, (n) => this.text(n))?.kind === 'apply') this.stepArguments.push(node.arguments[0]);
      ts.forEachChild(node, findSteps);
    };
    for (const root of roots) findSteps(root);
    this.used = usedValues(roots, {
      bindings,
      carriedAt: (reference) => this.names.carried(ts.isIdentifier(reference) ? this.scopes.key(reference) : `this.${reference.name.text}`),
      isLocalTarget: (target) => {
        const key = this.keyOf(ts.isElementAccessExpression(target) || ts.isPropertyAccessExpression(target) ? (this.keyOf(target) ? target : target.expression) : target);
        return key !== undefined && this.scopes.declarations.has(key);
      },
      isClipCall: (call) => this.isClipCall(call),
      isApply: (call) => tfjsCall(call, bindings, isOptimizer, (n) => this.text(n))?.kind === 'apply',
      // A copying helper hands the values on into its target argument, which the unit tracks when it is the unit's own name.
      readsOnly: (call) => this.reading.readsOnly(call) || (this.reading.copies(call)?.every(({ to }) => !!call.arguments[to] && this.keyOf(call.arguments[to]) !== undefined && this.scopes.declarations.has(this.keyOf(call.arguments[to])!)) ?? false),
      runsNow: (fn) => !!fn.parent && ts.isCallExpression(fn.parent) && runsArgument(fn.parent, fn, bindings, isOptimizer) !== undefined,
    });
  }

  /** A value's id: the call that made it. */
  idOf(call: ts.Node): string {
    return `${call.getStart(this.file)}`;
  }

  private text(node: ts.Node): string {
    return node.getText(this.file);
  }

  /** The key a name is tracked by: `grads@120` (by its declaration), `this.grads`. */
  private keyOf(node: ts.Node): string | undefined {
    node = ts.isExpression(node) ? unwrap(node) : node;
    if (ts.isIdentifier(node)) return this.scopes.key(node);
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) return `this.${node.name.text}`;
    return undefined;
  }

  // ---- what an expression is

  /** The expression is a gradient (a map, an entry, a result), and which values it may be. */
  gradientOf(expression: ts.Expression): Gradient | undefined {
    const e = unwrap(expression);
    const key = this.keyOf(e);
    if (key !== undefined) return this.names.gradientOf(key);
    if (ts.isCallExpression(e)) return this.callGradient(e);
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const holder = this.gradientOf(e.expression);
      if (!holder) return undefined;
      const property = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isStringLiteral(e.argumentExpression) ? e.argumentExpression.text : undefined;
      if (holder.kind === 'result') return property === 'grads' || property === 'grad' ? { kind: 'map', ids: holder.ids } : undefined;
      if (holder.kind === 'map') return property === 'length' ? undefined : { kind: 'entry', ids: holder.ids };
      // A NamedTensor's tensor (`{ name, tensor }` entries of a list of gradients).
      if (holder.kind === 'entry' && property === 'tensor') return holder;
      return undefined;
    }
    // `[name, clip(g)]` (a pair for Object.fromEntries), `{name, tensor: g}` (a NamedTensor).
    if (ts.isArrayLiteralExpression(e) && e.elements.length === 2) {
      const value = this.gradientOf(e.elements[1]);
      return value?.kind === 'entry' ? value : undefined;
    }
    if (ts.isObjectLiteralExpression(e)) {
      for (const p of e.properties) {
        if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'tensor') {
          const value = this.gradientOf(p.initializer);
          return value?.kind === 'entry' ? value : undefined;
        }
      }
      return undefined;
    }
    if (ts.isConditionalExpression(e)) return both(this.gradientOf(e.whenTrue), this.gradientOf(e.whenFalse));
    if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      return both(this.gradientOf(e.left), this.gradientOf(e.right));
    }
    return undefined;
  }

  private callGradient(call: ts.CallExpression): Gradient | undefined {
    const meaning = tfjsCall(call, this.bindings, this.isOptimizer, (n) => this.text(n));
    if (meaning?.kind === 'backward') return { kind: meaning.computes === 'result' ? 'result' : meaning.computes === 'map' ? 'map' : 'entry', ids: new Set([this.idOf(call)]) };
    const clip = this.clipOf(call);
    if (clip) return { kind: clip.kind, ids: new Set([this.idOf(call)]) };
    const callee = unwrap(call.expression);
    const fn = tfjsFunction(callee, this.bindings);
    // tf.keep(x) is x.
    if (fn === 'keep' && call.arguments.length === 1) return this.gradientOf(call.arguments[0]);
    // tf.tidy(() => …) is what its function returns.
    if ((fn === 'tidy' || (ts.isIdentifier(callee) && callee.text === 'noGrad')) && call.arguments.length) {
      const body = call.arguments[call.arguments.length - 1];
      return ts.isArrowFunction(body) || ts.isFunctionExpression(body) ? this.returned(body) : undefined;
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      // Object.entries(grads), Object.values(grads), Object.fromEntries(pairs): the same values.
      if (ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && ['entries', 'values', 'fromEntries', 'assign'].includes(method)) {
        const from = call.arguments[method === 'assign' ? 1 : 0];
        const value = from && this.gradientOf(from);
        return value && value.kind === 'map' ? value : undefined;
      }
      const over = this.gradientOf(callee.expression) ?? this.keysOf(callee.expression);
      if (over?.kind === 'map' && (method === 'map' || method === 'flatMap')) {
        const fn = call.arguments[0];
        const value = fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ? this.returned(fn) : undefined;
        return value?.kind === 'entry' ? { kind: 'map', ids: value.ids } : undefined;
      }
      if (over?.kind === 'map' && (method === 'filter' || method === 'slice')) return over;
    }
    return undefined;
  }

  /**
   * `Object.keys(grads)` as what a `.map` runs over: the keys carry no gradient, but what the
   * callback returns from them (`(name) => ({ name, tensor: grads[name] })`) does.
   */
  private keysOf(expression: ts.Expression): Gradient | undefined {
    const e = unwrap(expression);
    if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression) || e.expression.name.text !== 'keys') return undefined;
    const object = e.expression.expression;
    if (!ts.isIdentifier(object) || object.text !== 'Object' || !e.arguments[0]) return undefined;
    const map = this.gradientOf(e.arguments[0]);
    return map?.kind === 'map' ? map : undefined;
  }

  /** What a function written inline returns, when every `return` gives a gradient. */
  private returned(fn: ts.ArrowFunction | ts.FunctionExpression): Gradient | undefined {
    if (!ts.isBlock(fn.body)) return this.gradientOf(fn.body);
    let out: Gradient | undefined;
    let all = true;
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node)) return;
      if (ts.isReturnStatement(node)) {
        const value = node.expression && this.gradientOf(node.expression);
        if (!value) all = false;
        else out = out ? both(out, value) : value;
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(fn.body, visit);
    return all ? out : undefined;
  }

  /** A call that clips a gradient: `tf.clipByValue(g, …)`, `g.clipByValue(…)`, a helper of the file that clips. */
  clipOf(call: ts.CallExpression): { kind: Kind; source: ts.Expression; reads: ReadonlySet<string>; helper?: string; returnsCopy?: boolean; scaled?: true } | undefined {
    const meaning = tfjsCall(call, this.bindings, this.isOptimizer, (n) => this.text(n));
    if (meaning?.kind === 'clip-value') {
      const source = this.gradientOf(meaning.source);
      return source?.kind === 'entry' ? { kind: 'entry', source: meaning.source, reads: source.ids } : undefined;
    }
    if (meaning) return undefined;
    const scaled = this.scaledByClipFactor(call);
    if (scaled) return scaled;
    const helper = this.helpers.resolve(call);
    if (!helper) return undefined;
    for (const argument of call.arguments) {
      const source = this.gradientOf(argument);
      if (source && source.kind !== 'result') return { kind: source.kind, source: argument, reads: source.ids, helper: helper.name, returnsCopy: helper.returnsCopy };
    }
    return undefined;
  }

  /**
   * A gradient entry scaled by a factor capped at one and computed from these gradients' own
   * values (a global-norm clip written inline: `tf.mul(g, tf.minimum(1, maxNorm / norm))`).
   */
  private scaledByClipFactor(call: ts.CallExpression): { kind: Kind; source: ts.Expression; reads: ReadonlySet<string>; scaled: true } | undefined {
    const scale = scaleCall(call, this.bindings);
    const source = scale && this.gradientOf(scale.source);
    if (!scale || source?.kind !== 'entry') return undefined;
    const factor = unwrap(scale.factor);
    const key = ts.isIdentifier(factor) ? this.scopes.key(factor) : undefined;
    const init = key !== undefined ? this.scopes.declarations.get(key)?.declaration?.initializer : undefined;
    const definition = init ?? factor;
    if (!capsAtOne(definition)) return undefined;
    const from = this.carried(definition);
    return [...source.ids].some((id) => from.has(id)) ? { kind: 'entry', source: scale.source, reads: source.ids, scaled: true } : undefined;
  }

  /** Values an expression carries: those of every name it reads and every gradient it computes. */
  carried(expression: ts.Node): Set<string> {
    const out = new Set<string>();
    const visit = (node: ts.Node): void => {
      // Keys carry no gradient: `Object.keys(grads)`; nor does a plain value a reading helper returns.
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'keys' && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'Object') return;
      if (ts.isCallExpression(node) && this.reading.readsOnly(node)) return;
      // `optimizer.minimize(f)`, `tf.variableGrads(f)`: what f reads is spent inside the call (its
      // result is the loss, or the gradients the call itself makes), not handed on with the result.
      if (ts.isCallExpression(node) && this.takesLossFunction(node)) {
        for (const id of this.callGradient(node)?.ids ?? EMPTY) out.add(id);
        for (const argument of node.arguments) if (!ts.isArrowFunction(argument) && !ts.isFunctionExpression(argument)) visit(argument);
        return;
      }
      if (ts.isExpression(node)) {
        const direct = ts.isCallExpression(node) ? this.callGradient(node) : undefined;
        if (direct) for (const id of direct.ids) out.add(id);
        const key = isReference(node) ? this.keyOf(node) : undefined;
        if (key !== undefined) {
          for (const id of this.names.carried(key) ?? EMPTY) out.add(id);
          if (ts.isPropertyAccessExpression(node)) return;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(expression);
    return out;
  }

  // ---- bindings

  private collect(node: ts.Node, sites: Array<() => boolean>): void {
    // `addInto(acc, g)`, a helper of the file that writes g's values into acc's entries: acc holds them.
    if (ts.isCallExpression(node)) {
      for (const { from, to } of this.reading.copies(node) ?? []) {
        const target = node.arguments[to] && this.keyOf(node.arguments[to]);
        const source = node.arguments[from];
        if (target !== undefined && source) sites.push(() => this.bindInto(target, source));
      }
    }
    if (ts.isVariableDeclaration(node)) {
      const init = node.initializer;
      if (init) sites.push(() => this.bindPattern(node.name, () => this.gradientOf(init), () => this.carried(init)));
      else if (ts.isForOfStatement(node.parent.parent) && node.parent.parent.initializer === node.parent) {
        const over = node.parent.parent.expression;
        sites.push(() => this.bindPattern(node.name, () => element(this.gradientOf(over)), () => this.carried(over)));
      }
      return;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = unwrap(node.left);
      const key = this.keyOf(left);
      if (key !== undefined) sites.push(() => this.names.bind(key, this.valueOrEmpty(node.right), this.carried(node.right)));
      else if (ts.isElementAccessExpression(left) || ts.isPropertyAccessExpression(left)) {
        // `clipped[k] = clip(grads[k])`: the container holds the entry.
        const holder = this.keyOf(left.expression);
        if (holder !== undefined) sites.push(() => this.bindEntry(holder, node.right));
      }
      return;
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const holder = this.keyOf(node.expression.expression);
      // `Object.assign(grads, clipped)`: the target holds what the sources hold.
      const target = node.arguments[0] && this.keyOf(node.arguments[0]);
      if (method === 'assign' && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'Object' && target !== undefined) {
        for (const source of node.arguments.slice(1)) sites.push(() => this.bindInto(target, source));
      }
      if (method === 'push' && holder !== undefined) for (const a of node.arguments) sites.push(() => this.bindEntry(holder, a));
      // `grads.forEach((g) => …)`, `Object.entries(grads).map(([k, g]) => …)`: the parameter is an entry.
      const fn = node.arguments[0];
      if (ITERATES_NOW.has(method) && fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
        const parameter = fn.parameters[method === 'reduce' ? 1 : 0];
        const over = node.expression.expression;
        if (parameter) sites.push(() => this.bindPattern(parameter.name, () => element(this.gradientOf(over)), () => this.carried(over)));
      }
    }
  }

  private valueOrEmpty(value: ts.Expression): Gradient | 'empty' | undefined {
    const e = unwrap(value);
    if ((ts.isObjectLiteralExpression(e) && !e.properties.length) || (ts.isArrayLiteralExpression(e) && !e.elements.length) || e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined')) return 'empty';
    return this.gradientOf(value);
  }

  private bindPattern(name: ts.BindingName, value: () => Gradient | 'empty' | undefined, carried: () => Set<string>): boolean {
    if (ts.isIdentifier(name)) {
      const parent = name.parent;
      const init = ts.isVariableDeclaration(parent) ? parent.initializer : undefined;
      return this.names.bind(this.scopes.key(name), init ? this.valueOrEmpty(init) : value(), carried());
    }
    const v = value();
    const gradient = v === 'empty' ? undefined : v;
    let changed = false;
    if (ts.isObjectBindingPattern(name)) {
      for (const e of name.elements) {
        const property = e.propertyName && ts.isIdentifier(e.propertyName) ? e.propertyName.text : ts.isIdentifier(e.name) ? e.name.text : undefined;
        const part = gradient?.kind === 'result' && (property === 'grads' || property === 'grad') ? { kind: 'map' as const, ids: gradient.ids } : gradient?.kind === 'map' ? { kind: 'entry' as const, ids: gradient.ids } : undefined;
        if (this.bindPattern(e.name, () => part, () => (part ? new Set(part.ids) : carried()))) changed = true;
      }
    } else {
      name.elements.forEach((e, index) => {
        if (ts.isOmittedExpression(e)) return;
        // A map destructures into entries; an entry (a `[key, tensor]` pair) into its key and tensor.
        const part = gradient?.kind === 'map' || (gradient?.kind === 'entry' && index === 1) ? { kind: 'entry' as const, ids: gradient.ids } : undefined;
        // The key of a `[key, tensor]` pair carries nothing.
        const key = gradient?.kind === 'entry' && index === 0;
        if (this.bindPattern(e.name, () => part, () => (part ? new Set(part.ids) : key ? new Set<string>() : carried()))) changed = true;
      });
    }
    return changed;
  }

  private bindInto(holder: string, value: ts.Expression): boolean {
    const map = this.gradientOf(value);
    const changed = map?.kind === 'map' ? this.names.addGradient(holder, map) : false;
    return this.names.addCarried(holder, this.carried(value)) || changed;
  }

  private bindEntry(holder: string, value: ts.Expression): boolean {
    const entry = this.gradientOf(value);
    const changed = entry?.kind === 'entry' ? this.names.addGradient(holder, { kind: 'map', ids: entry.ids }) : false;
    return this.names.addCarried(holder, this.carried(value)) || changed;
  }

  private isClipCall(call: ts.CallExpression): boolean {
    const meaning = tfjsCall(call, this.bindings, this.isOptimizer, (n) => this.text(n));
    return meaning?.kind === 'clip-value' || meaning?.kind === 'clip-missing' || !!this.clipOf(call);
  }

  // ---- what events read and make

  /** A call whose function argument is a loss function: it computes gradients of it, or minimizes it. */
  private takesLossFunction(call: ts.CallExpression): boolean {
    const kind = tfjsCall(call, this.bindings, this.isOptimizer, (n) => this.text(n))?.kind;
    return kind === 'minimize' || kind === 'backward';
  }

  /** Some step of the unit may apply this value (flow-insensitively). */
  private reachesStep(id: string): boolean {
    return this.stepArguments.some((argument) => this.carried(argument).has(id));
  }

  /** What a step's argument applies. */
  stepArgument(call: ts.CallExpression): StepArgument {
    const argument = call.arguments[0];
    const ids = argument ? this.carried(argument) : new Set<string>();
    return { ids: ids.size ? ids : undefined, inScope: mapsInScope(call, this.file, this.scopes, this.names) };
  }

  /** What a clip call reads and makes. */
  clipValue(call: ts.CallExpression): ClipValue | undefined {
    const clip = this.clipOf(call);
    if (!clip) return undefined;
    const makes = this.idOf(call);
    const { holder, definite, rebinds, reassigned } = holderOf(call, this.scopes, (n) => this.keyOf(n));
    // A name given the clipped value (`g = clip(g)`, `const c = clip(g)`) is a new binding: the map
    // the name was read from keeps the unclipped entry, unless the name itself is what a step
    // applies (`grads = clipAll(grads)` before `applyGradients(grads)`). A write into the holder
    // (`m[k] = …`, `this.grads = …`) changes what the holder's readers see.
    const holderValue = holder !== undefined && (!rebinds || this.reachesStep(makes)) ? this.names.gradientOf(holder) : undefined;
    // In place: the value goes back into a map it was read from, or a helper's result is dropped
    // (it clips its argument, unless it only returns a clipped copy).
    const discarded = ts.isExpressionStatement(statementOf(call));
    // `grads.grads[k] = clip(grads.grads[k])`: an entry written back into the map read, held by no name of its own.
    const container = containerAssigned(call);
    const containerValue = container && this.gradientOf(container);
    const intoSource = containerValue?.kind === 'map' && [...clip.reads].some((id) => containerValue.ids.has(id));
    const inPlace = (!!holderValue && [...clip.reads].some((id) => holderValue.ids.has(id))) || intoSource || (!!clip.helper && discarded && !clip.returnsCopy);
    // Held by a name the unit does not declare (`this.clipped`, an outer variable): used elsewhere.
    const outer = holder !== undefined && !this.scopes.declarations.has(holder);
    const holderName = holder && nameOfKey(holder);
    const carriers = carriersOf(makes, this.scopes, this.names).filter((name) => name !== holderName);
    return { reads: clip.reads, makes, inPlace, holder: holderName, definite, rebound: reassigned, carriers, escapes: outer || this.used.has(makes), perExample: this.noisy, scaled: clip.scaled };
  }
}
