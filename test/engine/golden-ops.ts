// ops.json: evaluate each recorded graph, backward the given upstream gradient, compare.
import * as E from '../../engine';
import type { Tensor } from '../../engine';
import { compareTensor, loadGolden, toTensor, toleranceFor, type GoldenTensor } from './golden';
import type { CaseResult } from './golden-runner';

interface OpNode {
  op: string;
  inputs: string[];
  kwargs?: Record<string, unknown>;
  out: string;
}

interface OpsCase {
  name: string;
  dtype: string;
  inputs: Record<string, GoldenTensor>;
  graph: OpNode[];
  output: string;
  expected_output: GoldenTensor;
  upstream_grad: GoldenTensor;
  expected_grads: Record<string, GoldenTensor>;
}

type Kwargs = Record<string, unknown>;
const num = (k: Kwargs, name: string, fallback?: number): number => {
  const v = k[name];
  if (typeof v === 'number') return v;
  if (fallback !== undefined && (v === undefined || v === null)) return fallback;
  throw new TypeError(`kwarg ${name} should be a number, got ${JSON.stringify(v)}`);
};
const numOrNull = (k: Kwargs, name: string): number | null => (k[name] === null || k[name] === undefined ? null : num(k, name));
const reduction = (k: Kwargs): E.Reduction => (k.reduction as E.Reduction | undefined) ?? 'mean';

/** The golden op vocabulary, each mapped to the engine call PyTorch's op corresponds to. */
const OPS: Record<string, (x: Tensor[], k: Kwargs) => Tensor> = {
  add: ([a, b]) => E.add(a, b),
  sub: ([a, b]) => E.sub(a, b),
  mul: ([a, b]) => E.mul(a, b),
  div: ([a, b]) => E.div(a, b),
  matmul: ([a, b]) => E.matmul(a, b),
  neg: ([a]) => E.neg(a),
  exp: ([a]) => E.exp(a),
  log: ([a]) => E.log(a),
  sqrt: ([a]) => E.sqrt(a),
  abs: ([a]) => E.abs(a),
  pow: ([a], k) => E.pow(a, num(k, 'exponent')),
  tanh: ([a]) => E.tanh(a),
  sigmoid: ([a]) => E.sigmoid(a),
  relu: ([a]) => E.relu(a),
  leaky_relu: ([a], k) => E.leakyRelu(a, num(k, 'negative_slope', 0.01)),
  gelu: ([a]) => E.gelu(a),
  softplus: ([a], k) => E.softplus(a, num(k, 'beta', 1), num(k, 'threshold', 20)),
  sum: ([a], k) => E.sum(a, k.dim as E.Dims, Boolean(k.keepdim)),
  mean: ([a], k) => E.mean(a, k.dim as E.Dims, Boolean(k.keepdim)),
  max: ([a], k) => E.max(a, numOrNull(k, 'dim'), Boolean(k.keepdim)),
  reshape: ([a], k) => E.reshape(a, k.shape as number[]),
  transpose: ([a], k) => E.transpose(a, num(k, 'dim0'), num(k, 'dim1')),
  permute: ([a], k) => E.permute(a, k.dims as number[]),
  cat: (xs, k) => E.cat(xs, num(k, 'dim', 0)),
  stack: (xs, k) => E.stack(xs, num(k, 'dim', 0)),
  slice: ([a], k) => E.slice(a, num(k, 'dim'), numOrNull(k, 'start'), numOrNull(k, 'end'), num(k, 'step', 1)),
  softmax: ([a], k) => E.softmax(a, num(k, 'dim', -1)),
  log_softmax: ([a], k) => E.logSoftmax(a, num(k, 'dim', -1)),
  cross_entropy: ([logits, target], k) => E.crossEntropy(logits, target, reduction(k)),
  mse_loss: ([a, b], k) => E.mseLoss(a, b, reduction(k)),
  binary_cross_entropy_with_logits: ([logits, target], k) => E.bceWithLogits(logits, target, reduction(k)),
  embedding: ([weight, indices]) => E.embedding(weight, indices),
};

function runCase(c: OpsCase): string[] {
  const failures: string[] = [];
  const tol = toleranceFor(c.dtype);
  const values = new Map<string, Tensor>();
  for (const [name, spec] of Object.entries(c.inputs)) values.set(name, toTensor(spec, spec.requires_grad === true));
  for (const node of c.graph) {
    const fn = OPS[node.op];
    if (fn === undefined) return [`unknown op ${node.op}`];
    const args = node.inputs.map((n) => {
      const v = values.get(n);
      if (v === undefined) throw new Error(`graph reads ${n} before it is defined`);
      return v;
    });
    values.set(node.out, fn(args, node.kwargs ?? {}));
  }
  const output = values.get(c.output)!;
  const outputError = compareTensor(output, c.expected_output, tol);
  if (outputError) failures.push(`output: ${outputError}`);
  output.backward(toTensor(c.upstream_grad));
  for (const [name, expected] of Object.entries(c.expected_grads)) {
    const error = compareTensor(values.get(name)!.grad, expected, tol);
    if (error) failures.push(`grad ${name}: ${error}`);
  }
  return failures;
}

export function runOps(): CaseResult[] {
  return loadGolden<OpsCase>('ops').cases.map((c) => {
    try {
      return { file: 'ops', name: c.name, failures: runCase(c) };
    } catch (error) {
      return { file: 'ops', name: c.name, failures: [`threw ${(error as Error).message}`] };
    }
  });
}
