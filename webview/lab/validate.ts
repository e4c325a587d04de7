// parseExperiment's checks: an untrusted value in, a complete Experiment (defaults filled in) or
// every problem found out. Each problem names its field, says what is allowed and what was given.
import {
  DEFAULT_SCALER,
  LAB_CALLS,
  LIMITS,
  defaultOptimizer,
  type CallSpec,
  type ClipSpec,
  type DataSpec,
  type Experiment,
  type LabCall,
  type ModelSpec,
  type OptimizerKind,
  type OptimizerSpec,
  type ParseResult,
  type RunSpec,
  type ScalerSpec,
} from './experiment';
import { estimateCost } from './cost';

type Fields = Record<string, unknown>;

/** Collects problems while reading; readers return a fallback so the walk can go on. */
class Reader {
  readonly problems: string[] = [];

  problem(path: string, message: string): void {
    this.problems.push(path ? `${path}: ${message}` : message);
  }

  /** Says what was expected: "is missing (…)" or "must be …, got …". */
  expected(path: string, value: unknown, expectation: string): void {
    this.problem(path, value === undefined ? `is missing (${expectation})` : `must be ${expectation}, got ${describe(value)}`);
  }

  /** A plain object whose keys are all in `allowed`, or null (reported). */
  object(value: unknown, path: string, allowed: readonly string[]): Fields | null {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.expected(path || 'the experiment', value, 'an object');
      return null;
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.problem(join(path, key), `unknown field (expected one of ${allowed.join(', ')})`);
    }
    return value as Fields;
  }

  integer(fields: Fields, key: string, path: string, min: number, max: number, fallback?: number): number {
    const at = join(path, key);
    const value = fields[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.expected(at, value, `a whole number from ${min} to ${max}`);
      return fallback ?? min;
    }
    return value;
  }

  /** A finite number in [min, max] (or (min, max] with `above`). */
  number(fields: Fields, key: string, path: string, range: { min: number; max: number; above?: boolean }, fallback?: number): number {
    const at = join(path, key);
    const value = fields[key];
    if (value === undefined && fallback !== undefined) return fallback;
    const { min, max, above } = range;
    const inRange = typeof value === 'number' && Number.isFinite(value) && (above ? value > min : value >= min) && value <= max;
    if (!inRange) {
      this.expected(at, value, `a number ${above ? 'above' : 'from'} ${min}${above ? ' and at most' : ' to'} ${max}`);
      return fallback ?? max;
    }
    return value;
  }

  /** One of `options`; null (reported) when the value is missing or unknown and there is no fallback. */
  choice<T extends string>(fields: Fields, key: string, path: string, options: readonly T[], fallback: T | null, what: string): T | null {
    const value = fields[key];
    if (value === undefined && fallback !== null) return fallback;
    if (typeof value === 'string' && (options as readonly string[]).includes(value)) return value as T;
    if (value === undefined) this.problem(join(path, key), `is missing (the ${what}: ${options.join(', ')})`);
    else this.problem(join(path, key), `unknown ${what} ${describe(value)} (expected ${options.join(', ')})`);
    return fallback;
  }

  string(fields: Fields, key: string, path: string, maxLength: number, fallback?: string): string {
    const value = fields[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || value.trim() === '' || value.length > maxLength) {
      this.expected(join(path, key), value, `a non-empty string of at most ${maxLength} characters`);
      return fallback ?? '';
    }
    // One line: labels and titles head table columns, comments and docstrings.
    if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(value)) {
      this.problem(join(path, key), 'must be one line of text (no line breaks or control characters)');
      return fallback ?? '';
    }
    return value;
  }

  boolean(fields: Fields, key: string, path: string, fallback: boolean): boolean {
    const value = fields[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.expected(join(path, key), value, 'true or false');
      return fallback;
    }
    return value;
  }
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** A short, safe rendering of what was given (never the whole of a large value). */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

const MODEL_PRESETS = ['linear', 'mlp', 'rnn'] as const;
const GENERATORS = ['docs-example', 'regression', 'sequence'] as const;
const OPTIMIZERS: readonly OptimizerKind[] = ['sgd', 'adam', 'adamw', 'rmsprop'];

/** The model, or null when it cannot be read far enough to check what depends on it. */
function readModel(r: Reader, value: unknown): ModelSpec | null {
  const path = 'model';
  const fields = r.object(value, path, ['preset', 'inputs', 'outputs', 'hidden', 'depth', 'activation', 'sequenceLength', 'recurrentGain']);
  if (!fields) return null;
  const preset = r.choice(fields, 'preset', path, MODEL_PRESETS, null, 'model preset');
  if (!preset) return null;
  const before = r.problems.length;
  const inputs = r.integer(fields, 'inputs', path, 1, LIMITS.inputs);
  const outputs = r.integer(fields, 'outputs', path, 1, LIMITS.outputs);
  const only = (keys: string[]) => {
    for (const key of Object.keys(fields)) {
      if (!['preset', 'inputs', 'outputs', ...keys].includes(key)) r.problem(join(path, key), `is not a setting of the ${preset} model`);
    }
  };
  let model: ModelSpec;
  if (preset === 'mlp') {
    only(['hidden', 'depth', 'activation']);
    model = {
      preset,
      inputs,
      outputs,
      hidden: r.integer(fields, 'hidden', path, 1, LIMITS.hidden),
      depth: r.integer(fields, 'depth', path, 1, LIMITS.depth),
      activation: r.choice(fields, 'activation', path, ['tanh', 'relu'] as const, 'tanh', 'activation') ?? 'tanh',
    };
  } else if (preset === 'rnn') {
    only(['hidden', 'sequenceLength', 'recurrentGain']);
    model = {
      preset,
      inputs,
      outputs,
      hidden: r.integer(fields, 'hidden', path, 1, LIMITS.hidden),
      sequenceLength: r.integer(fields, 'sequenceLength', path, 1, LIMITS.sequenceLength),
      recurrentGain: r.number(fields, 'recurrentGain', path, { min: 0, max: 10, above: true }, 1),
    };
  } else {
    only([]);
    model = { preset: 'linear', inputs, outputs };
  }
  return r.problems.length === before ? model : null;
}

/** The data; checked against the model only when the model itself is sound. */
function readData(r: Reader, value: unknown, model: ModelSpec | null): DataSpec | null {
  const path = 'data';
  const fields = r.object(value, path, ['generator', 'batchSize', 'batches', 'noise']);
  if (!fields) return null;
  const generator = r.choice(fields, 'generator', path, GENERATORS, null, 'data generator');
  if (!generator) return null;
  if (model) {
    const fits = generator === 'sequence' ? model.preset === 'rnn' : model.preset !== 'rnn';
    if (!fits) r.problem(join(path, 'generator'), `"${generator}" data does not fit the ${model.preset} model (sequence data goes with rnn; regression and docs-example with linear and mlp)`);
    else if (generator === 'docs-example' && (model.inputs !== 2 || model.outputs !== 1)) {
      r.problem(join(path, 'generator'), `the docs-example data ([[1, 2]] → [[1]]) needs 2 inputs and 1 output, the model has ${model.inputs} and ${model.outputs}`);
    }
  }
  if (generator === 'docs-example') {
    for (const key of Object.keys(fields)) if (key !== 'generator') r.problem(join(path, key), 'the docs-example data has no settings');
    return { generator };
  }
  const batchSize = r.integer(fields, 'batchSize', path, 1, LIMITS.batchSize);
  const batches = r.integer(fields, 'batches', path, 1, LIMITS.batches);
  if (generator === 'sequence') {
    if ('noise' in fields) r.problem(join(path, 'noise'), 'the sequence data has no noise setting');
    return { generator, batchSize, batches };
  }
  return { generator, batchSize, batches, noise: r.number(fields, 'noise', path, { min: 0, max: 10 }, 0.1) };
}

function readOptimizer(r: Reader, value: unknown, path: string): OptimizerSpec {
  const fields = r.object(value, path, ['kind', 'lr', 'momentum', 'betas', 'eps', 'weightDecay']);
  if (!fields) return defaultOptimizer('sgd', 1);
  const kind = r.choice(fields, 'kind', path, OPTIMIZERS, null, 'optimizer') ?? 'sgd';
  const lr = r.number(fields, 'lr', path, { min: 0, max: 100, above: true });
  const spec = defaultOptimizer(kind, lr);
  spec.momentum = r.number(fields, 'momentum', path, { min: 0, max: 0.999999 }, spec.momentum);
  spec.eps = r.number(fields, 'eps', path, { min: 0, max: 1, above: true }, spec.eps);
  spec.weightDecay = r.number(fields, 'weightDecay', path, { min: 0, max: 10 }, spec.weightDecay);
  if (fields.betas !== undefined) {
    const betas = fields.betas;
    if (!Array.isArray(betas) || betas.length !== 2 || !betas.every((b) => typeof b === 'number' && b >= 0 && b < 1)) {
      r.problem(join(path, 'betas'), `must be two numbers from 0 up to (not including) 1, got ${describe(betas)}`);
    } else {
      spec.betas = [betas[0], betas[1]];
    }
  }
  if (spec.momentum > 0 && (kind === 'adam' || kind === 'adamw')) r.problem(join(path, 'momentum'), `${kind} has no momentum setting (it uses betas)`);
  return spec;
}

function readClip(r: Reader, value: unknown, path: string): ClipSpec {
  const fields = r.object(value, path, ['mode', 'threshold', 'normType']);
  if (!fields) return { mode: 'off', threshold: 1, normType: 2 };
  const mode = r.choice(fields, 'mode', path, ['off', 'norm', 'value'] as const, null, 'clip mode') ?? 'off';
  const threshold = r.number(fields, 'threshold', path, { min: 0, max: 1e12, above: true }, mode === 'off' ? 1 : undefined);
  let normType: number | 'inf' = 2;
  const raw = fields.normType;
  if (raw === 'inf') normType = 'inf';
  else if (raw !== undefined) normType = r.number(fields, 'normType', path, { min: 0, max: 1000, above: true }, 2);
  return { mode, threshold, normType };
}

function readScaler(r: Reader, value: unknown, path: string): ScalerSpec | null {
  if (value === null || value === undefined) return null;
  const fields = r.object(value, path, ['initScale', 'growthFactor', 'backoffFactor', 'growthInterval', 'float16Overflow']);
  if (!fields) return null;
  const d = DEFAULT_SCALER;
  return {
    initScale: r.number(fields, 'initScale', path, { min: 0, max: 2 ** 64, above: true }, d.initScale),
    // GradScaler asserts growth_factor > 1 and backoff_factor < 1.
    growthFactor: r.number(fields, 'growthFactor', path, { min: 1, max: 1000, above: true }, d.growthFactor),
    backoffFactor: r.number(fields, 'backoffFactor', path, { min: 0, max: 0.999999, above: true }, d.backoffFactor),
    growthInterval: r.integer(fields, 'growthInterval', path, 1, 1_000_000, d.growthInterval),
    float16Overflow: r.boolean(fields, 'float16Overflow', path, d.float16Overflow),
  };
}

function readCalls(r: Reader, value: unknown, path: string): CallSpec[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > LIMITS.callsPerPass) {
    r.problem(path, `must be a list of 1 to ${LIMITS.callsPerPass} calls, got ${describe(value)}`);
    return [];
  }
  const calls: CallSpec[] = [];
  value.forEach((item, i) => {
    const at = join(path, i);
    // A bare name is shorthand for a call on every micro-batch.
    const fields: Fields | null = typeof item === 'string' ? { call: item } : r.object(item, at, ['call', 'windowEnd']);
    if (!fields) return;
    const call = fields.call;
    if (typeof call !== 'string' || !(LAB_CALLS as readonly string[]).includes(call)) {
      r.problem(at, `unknown call ${describe(call)} (expected ${LAB_CALLS.join(', ')})`);
      return;
    }
    const windowEnd = r.boolean(fields, 'windowEnd', at, false);
    calls.push(windowEnd ? { call: call as LabCall, windowEnd } : { call: call as LabCall });
  });
  return calls;
}

/** What PyTorch would refuse: a backward with no forward before it; a pass with no forward, backward or step. */
function checkPass(r: Reader, calls: CallSpec[], path: string, accumulation: number): void {
  for (const needed of ['forward', 'backward', 'step'] as const) {
    if (!calls.some((c) => c.call === needed)) r.problem(path, `has no ${needed} call`);
  }
  const passes = accumulation > 1 ? [false, true] : [true];
  for (const windowEnd of passes) {
    let graph = false;
    calls.forEach((c, i) => {
      if (c.windowEnd && !windowEnd) return;
      if (c.call === 'forward') graph = true;
      if (c.call === 'backward') {
        if (!graph) {
          const which = accumulation > 1 ? (windowEnd ? ' on the last micro-batch of a window' : ' on a micro-batch before the window ends') : '';
          r.problem(join(path, i), `backward has no forward before it${which} (each backward needs the loss of a forward since the previous backward)`);
        }
        graph = false;
      }
    });
  }
}

function readRun(r: Reader, value: unknown, path: string, accumulation: number): RunSpec {
  const fields = r.object(value, path, ['label', 'calls', 'clip', 'optimizer', 'scaler']);
  if (!fields) return { label: '', calls: [] };
  const run: RunSpec = {
    label: r.string(fields, 'label', path, LIMITS.labelLength, path === 'a' ? 'A' : 'B'),
    calls: readCalls(r, fields.calls, join(path, 'calls')),
  };
  if (run.calls.length) checkPass(r, run.calls, join(path, 'calls'), accumulation);
  if (fields.clip !== undefined) run.clip = readClip(r, fields.clip, join(path, 'clip'));
  if (fields.optimizer !== undefined) run.optimizer = readOptimizer(r, fields.optimizer, join(path, 'optimizer'));
  if (fields.scaler !== undefined) run.scaler = readScaler(r, fields.scaler, join(path, 'scaler'));
  return run;
}

export function validateExperiment(value: unknown): ParseResult {
  const r = new Reader();
  const top = r.object(value, '', ['version', 'title', 'model', 'data', 'seed', 'optimizer', 'clip', 'scaler', 'accumulation', 'steps', 'a', 'b']);
  if (!top) return { ok: false, problems: r.problems };
  if (top.version !== 1) r.problem('version', `must be 1, got ${describe(top.version)}`);
  const model = readModel(r, top.model);
  const data = readData(r, top.data, model);
  const accumulation = r.integer(top, 'accumulation', '', 1, LIMITS.accumulation, 1);
  const experiment: Experiment = {
    version: 1,
    model: model ?? { preset: 'linear', inputs: 1, outputs: 1 },
    data: data ?? { generator: 'docs-example' },
    seed: r.integer(top, 'seed', '', 0, 2 ** 32 - 1, 0),
    optimizer: readOptimizer(r, top.optimizer, 'optimizer'),
    clip: top.clip === undefined ? { mode: 'off', threshold: 1, normType: 2 } : readClip(r, top.clip, 'clip'),
    scaler: readScaler(r, top.scaler, 'scaler'),
    accumulation,
    steps: r.integer(top, 'steps', '', 1, LIMITS.steps),
    a: readRun(r, top.a, 'a', accumulation),
    b: readRun(r, top.b, 'b', accumulation),
  };
  if (top.title !== undefined) experiment.title = r.string(top, 'title', '', LIMITS.titleLength);
  if (r.problems.length) return { ok: false, problems: r.problems };

  // Sizes only once the shape is known to be sound.
  const cost = estimateCost(experiment);
  if (cost.parameters > LIMITS.parameters) r.problem('model', `has ${cost.parameters} parameters; the Lab trains at most ${LIMITS.parameters}`);
  if (cost.dataValues > LIMITS.dataValues) r.problem('data', `makes ${cost.dataValues} values; the Lab generates at most ${LIMITS.dataValues}`);
  if (cost.stepWork > LIMITS.stepWork) {
    r.problem('model', `one step needs about ${cost.stepWork.toExponential(1)} multiply-adds; the Lab runs at most ${LIMITS.stepWork.toExponential(0)} per step (a smaller model or batch, or fewer micro-batches)`);
  } else if (cost.work > LIMITS.work) {
    r.problem('steps', `this experiment needs about ${cost.work.toExponential(1)} multiply-adds; the Lab runs at most ${LIMITS.work.toExponential(0)} (fewer steps, micro-batches or a smaller model)`);
  }
  return r.problems.length ? { ok: false, problems: r.problems } : { ok: true, experiment };
}
