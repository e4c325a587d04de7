// The names of a model's layers as the Lab reports them (per-layer norms, the CSV's columns, the
// charts), from the model's description alone: the page knows them before the worker has built the
// model, and model.ts names the layers it builds with the same function.
import type { ModelSpec } from './experiment';

export function layerNamesOf(spec: ModelSpec): string[] {
  switch (spec.preset) {
    case 'linear':
      return ['linear'];
    case 'mlp':
      // fc1 … fcN for the hidden layers, then the output layer.
      return [...Array.from({ length: spec.depth }, (_, i) => `fc${i + 1}`), 'out'];
    case 'rnn':
      return ['rnn', 'head'];
  }
}
