// What each name of a unit holds, as far as gradient values go: whether it is a gradient (a map,
// an entry of one, a `{value, grads}` result) and which values, whether some assignment gives it
// something else, and which values it carries (anything computed from them). Only ever grows,
// so the fixpoint in gradient-values.ts ends.

export type Kind = 'result' | 'map' | 'entry';

export interface Gradient {
  kind: Kind;
  ids: ReadonlySet<string>;
}

export class GradientNames {
  /** Names that are gradients, and every value they may be. */
  private readonly gradient = new Map<string, Gradient>();
  /** Names given a value that is no gradient (somewhere): not gradients. */
  private readonly other = new Set<string>();
  /** Values each name carries. */
  private readonly carries = new Map<string, Set<string>>();
  /**
   * Whether names given something other than a gradient are known yet: in the first phase what
   * names may be is still growing, so "not a gradient" is not concluded from it.
   */
  settled = false;

  /** What a name is, when it is a gradient and nothing else. */
  gradientOf(key: string): Gradient | undefined {
    return this.settled && this.other.has(key) ? undefined : this.gradient.get(key);
  }

  /** A gradient map and nothing else (after the fixpoint). */
  isMap(key: string): boolean {
    return this.gradient.get(key)?.kind === 'map' && !this.other.has(key);
  }

  carried(key: string): ReadonlySet<string> | undefined {
    return this.carries.get(key);
  }

  /** An assignment: `value` is what it gives (`empty`: `{}`, `[]`, `null`, filled later). */
  bind(key: string, value: Gradient | 'empty' | undefined, carried: ReadonlySet<string>): boolean {
    let changed = false;
    if (value === undefined) {
      if (this.settled && !this.other.has(key)) {
        this.other.add(key);
        changed = true;
      }
    } else if (value !== 'empty') changed = this.addGradient(key, value);
    return this.addCarried(key, carried) || changed;
  }

  addGradient(key: string, value: Gradient): boolean {
    const known = this.gradient.get(key);
    if (!known) {
      this.gradient.set(key, { kind: value.kind, ids: new Set(value.ids) });
      return true;
    }
    // Two kinds for one name: it is not one kind of gradient.
    if (known.kind !== value.kind) {
      if (!this.settled || this.other.has(key)) return false;
      this.other.add(key);
      return true;
    }
    const ids = known.ids as Set<string>;
    const before = ids.size;
    for (const id of value.ids) ids.add(id);
    return ids.size !== before;
  }

  addCarried(key: string, ids: ReadonlySet<string>): boolean {
    if (!ids.size) return false;
    let set = this.carries.get(key);
    if (!set) this.carries.set(key, (set = new Set()));
    const before = set.size;
    for (const id of ids) set.add(id);
    return set.size !== before;
  }
}

/** Either of two gradients, when both are one kind. */
export function both(a: Gradient | undefined, b: Gradient | undefined): Gradient | undefined {
  if (!a || !b || a.kind !== b.kind) return undefined;
  return { kind: a.kind, ids: new Set([...a.ids, ...b.ids]) };
}

/** What iterating a gradient gives: a map's entries. */
export function element(value: Gradient | undefined): Gradient | undefined {
  return value?.kind === 'map' ? { kind: 'entry', ids: value.ids } : undefined;
}
