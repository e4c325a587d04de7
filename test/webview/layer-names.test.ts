// The page builds its charts from the experiment before the worker has built the model: the layer
// names it expects must be the ones the model reports, for every kind of model.
import assert from 'node:assert/strict';
import type { Experiment, ModelSpec } from '../../webview/lab/experiment';
import { layerNamesOf } from '../../webview/lab/layer-names';
import { PRESETS, presetExperiment } from '../../webview/lab/presets';
import { ExperimentRun } from '../../webview/lab/runner';

describe('Lab: layer names before the model exists', () => {
  it("names every preset's layers as the built model does", () => {
    for (const preset of PRESETS) {
      const experiment = presetExperiment(preset.id);
      assert.deepEqual(layerNamesOf(experiment.model), new ExperimentRun(experiment).layerNames, preset.id);
    }
  });

  it('names the layers of MLPs of any depth', () => {
    const base = presetExperiment('deep-mlp');
    if (base.model.preset !== 'mlp') throw new Error('the deep-MLP preset is an MLP');
    for (const depth of [1, 2, 5]) {
      const model: ModelSpec = { ...base.model, depth };
      const experiment: Experiment = { ...base, model };
      const names: string[] = new ExperimentRun(experiment).layerNames;
      assert.deepEqual(layerNamesOf(experiment.model), names);
      assert.equal(names.length, depth + 1);
    }
  });
});
