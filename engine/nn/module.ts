import { Tensor } from '../tensor';

/**
 * Base of every layer: holds named parameters and child modules. parameters() returns a fresh
 * array each call (never a one-shot iterator), so handing it to an optimizer and then to
 * clipGradNorm_ works the same way twice.
 */
export class Module {
  private readonly ownParameters = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();

  /** Registers a tensor as a trainable parameter (it is marked requiresGrad). */
  protected registerParameter(name: string, parameter: Tensor): Tensor {
    parameter.requiresGrad = true;
    this.ownParameters.set(name, parameter);
    return parameter;
  }

  protected registerModule<M extends Module>(name: string, module: M): M {
    this.children.set(name, module);
    return module;
  }

  /** Every parameter of this module and its children, each once, in registration order. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** [name, parameter] pairs with dotted paths, e.g. "0.weight" inside a Sequential. */
  namedParameters(): [string, Tensor][] {
    const seen = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    const walk = (module: Module, prefix: string) => {
      for (const [name, p] of module.ownParameters) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([prefix + name, p]);
      }
      for (const [name, child] of module.children) walk(child, `${prefix}${name}.`);
    };
    walk(this, '');
    return out;
  }

  /** Child modules in registration order. */
  modules(): Module[] {
    return [...this.children.values()];
  }

  /** Clears every parameter's gradient: zero in place (PyTorch 1.13's default) or drop it. */
  zeroGrad(setToNone = false): void {
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (setToNone) p.grad = null;
      else p.grad.data.fill(0);
    }
  }

  /** Number of trainable values. */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }
}

/** A module that maps one tensor to one tensor, so it can sit in a Sequential. */
export abstract class Layer extends Module {
  abstract forward(input: Tensor): Tensor;
}
