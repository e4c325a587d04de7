// How big an experiment is, before anything is built: the validator refuses documents whose
// model, data or training would take the worker too long (a hostile file must not hang it).
import type { DataSpec, Experiment, ModelSpec } from './experiment';

export interface ExperimentCost {
  /** Trainable values of the model. */
  parameters: number;
  /** Generated data values (inputs and targets). */
  dataValues: number;
  /** Multiply-add equivalents of both runs: matmul work (forward and backward) plus a per-op overhead. */
  work: number;
  /** The same for one step (one accumulation window) of both runs. */
  stepWork: number;
}

/** One recorded op costs about as much as this many multiply-adds (graph bookkeeping, allocation). */
const OP_OVERHEAD = 1000;

export function parameterCount(model: ModelSpec): number {
  switch (model.preset) {
    case 'linear':
      return model.inputs * model.outputs + model.outputs;
    case 'mlp':
      return (model.inputs + 1) * model.hidden + (model.depth - 1) * (model.hidden + 1) * model.hidden + (model.hidden + 1) * model.outputs;
    case 'rnn':
      return model.hidden * (model.inputs + model.hidden + 2) + (model.hidden + 1) * model.outputs;
  }
}

export function batchSizeOf(data: DataSpec): number {
  return data.generator === 'docs-example' ? 1 : data.batchSize;
}

export function batchCountOf(data: DataSpec): number {
  return data.generator === 'docs-example' ? 1 : data.batches;
}

function forwardWork(model: ModelSpec, batch: number): { macs: number; ops: number } {
  switch (model.preset) {
    case 'linear':
      return { macs: batch * model.inputs * model.outputs, ops: 4 };
    case 'mlp':
      return { macs: batch * parameterCount(model), ops: model.depth + 4 };
    case 'rnn':
      return {
        macs: batch * (model.sequenceLength * model.hidden * (model.inputs + model.hidden) + model.hidden * model.outputs),
        ops: 2 * model.sequenceLength + 4,
      };
  }
}

export function estimateCost(experiment: Experiment): ExperimentCost {
  const { model, data } = experiment;
  const batch = batchSizeOf(data);
  const perSample = model.preset === 'rnn' ? model.sequenceLength * model.inputs + model.outputs : model.inputs + model.outputs;
  const { macs, ops } = forwardWork(model, batch);
  const perPass = 2 * (3 * macs + OP_OVERHEAD * ops);
  return {
    parameters: parameterCount(model),
    dataValues: batchCountOf(data) * batch * perSample,
    work: experiment.steps * experiment.accumulation * perPass,
    stepWork: experiment.accumulation * perPass,
  };
}
