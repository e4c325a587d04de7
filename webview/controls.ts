// The panel's controls: experiment, training buttons and speed, the settings (clipping, threshold
// on a log slider, norm type, optimizer, learning rate on a log slider, steps, seed) and the
// save/export actions. Every control has a visible label and works from the keyboard; colours come
// from VS Code's theme variables (lab.css).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { el } from './dom';
import { LIMITS } from './lab/experiment';
import { pyRepr } from './lab/py-repr';
import { thresholdNumber, type WrittenThreshold } from './lab/run-settings';
import {
  CLIP_CHOICES,
  LEARNING_RATE_RANGE,
  MAX_SEED,
  NORM_CHOICES,
  OPTIMIZER_CHOICES,
  THRESHOLD_RANGE,
  sliderMax,
  sliderPosition,
  sliderValue,
  type LabSettings,
  type LogRange,
} from './settings';
import type { Speed } from './worker-protocol';

export type LabAction = 'play' | 'step' | 'reset' | 'save' | 'open' | 'export-csv' | 'export-png' | 'copy-pytorch' | 'export-pytorch';

export interface ExperimentChoice {
  value: string;
  label: string;
}

export const SPEEDS: ReadonlyArray<{ value: Speed; label: string }> = [
  { value: 10, label: '10 steps/s' },
  { value: 30, label: '30 steps/s' },
  { value: 100, label: '100 steps/s' },
  { value: 300, label: '300 steps/s' },
  { value: 'max', label: 'as fast as possible' },
];

export interface ControlEvents {
  experiment(value: string): void;
  settings(settings: LabSettings): void;
  speed(speed: Speed): void;
  action(action: LabAction): void;
}

let ids = 0;
const nextId = (name: string) => `lab-${name}-${++ids}`;

function select(label: string, options: ReadonlyArray<{ value: string; label: string }>): { field: HTMLElement; control: VscodeSingleSelect } {
  const id = nextId('select');
  const control = el('vscode-single-select', { id, 'data-control': label }) as VscodeSingleSelect;
  control.label = label;
  control.append(...options.map((o) => el('vscode-option', { value: o.value }, o.label)));
  return { field: el('div', { class: 'lab-field' }, el('label', { for: id }, label), control), control };
}

function button(label: string, action: LabAction, secondary = false): HTMLElement {
  return el('vscode-button', { 'data-action': action, secondary, title: label }, label);
}

/** A log slider with its value beside it, written as Python writes the number ("1.0", "0.015"). */
class LogSlider {
  readonly field: HTMLElement;
  readonly input: HTMLInputElement;
  private readonly output: HTMLOutputElement;

  constructor(
    label: string,
    private readonly range: LogRange,
    changed: () => void,
  ) {
    const id = nextId('slider');
    this.input = el('input', { id, type: 'range', min: '0', max: String(sliderMax(range)), step: '1', 'data-control': label });
    this.output = el('output', { for: id, class: 'lab-slider-value' });
    this.input.addEventListener('input', () => this.show());
    this.input.addEventListener('change', changed);
    this.field = el('div', { class: 'lab-field' }, el('label', { for: id }, label), el('div', { class: 'lab-slider' }, this.input, this.output));
  }

  get value(): number {
    return sliderValue(Number(this.input.value), this.range);
  }

  /** Moves the slider to `value`, shown as `text` (the code's own spelling of it) or as Python writes it. */
  set(value: number, text = pyRepr(value)): void {
    this.input.value = String(sliderPosition(value, this.range));
    this.write(text);
  }

  private show(): void {
    this.write(pyRepr(this.value));
  }

  private write(text: string): void {
    this.output.value = text;
    this.input.setAttribute('aria-valuetext', text);
  }

  set disabled(disabled: boolean) {
    this.input.disabled = disabled;
  }
}

function numberField(label: string, min: number, max: number): { field: HTMLElement; control: VscodeTextfield } {
  const id = nextId('number');
  const control = el('vscode-textfield', { id, type: 'number', min: String(min), max: String(max), 'data-control': label }) as VscodeTextfield;
  control.label = label;
  return { field: el('div', { class: 'lab-field' }, el('label', { for: id }, label), control), control };
}

export class Controls {
  readonly element: HTMLElement;
  readonly experimentSelect: VscodeSingleSelect;
  private readonly playButton: HTMLElement;
  private readonly clip: VscodeSingleSelect;
  private readonly threshold: LogSlider;
  private readonly normType: VscodeSingleSelect;
  private readonly optimizer: VscodeSingleSelect;
  private readonly learningRate: LogSlider;
  private readonly steps: VscodeTextfield;
  private readonly seed: VscodeTextfield;
  private readonly speedSelect: VscodeSingleSelect;
  private current: LabSettings | undefined;

  constructor(private readonly events: ControlEvents) {
    const experiment = select('Experiment', []);
    this.experimentSelect = experiment.control;
    this.experimentSelect.addEventListener('change', () => events.experiment(this.experimentSelect.value));

    this.playButton = button('Start', 'play');
    const speed = select('Speed', SPEEDS.map((s) => ({ value: String(s.value), label: s.label })));
    this.speedSelect = speed.control;
    this.speedSelect.addEventListener('change', () => {
      const value = this.speedSelect.value;
      events.speed(value === 'max' ? 'max' : Number(value));
    });

    const changed = () => this.emitSettings();
    const clip = select('Clipping', CLIP_CHOICES);
    this.clip = clip.control;
    this.threshold = new LogSlider('Threshold (max_norm or clip_value)', THRESHOLD_RANGE, changed);
    const norm = select('Norm type', NORM_CHOICES);
    this.normType = norm.control;
    const optimizer = select('Optimizer', OPTIMIZER_CHOICES);
    this.optimizer = optimizer.control;
    this.learningRate = new LogSlider('Learning rate', LEARNING_RATE_RANGE, changed);
    const steps = numberField('Steps', 1, LIMITS.steps);
    this.steps = steps.control;
    const seed = numberField('Seed', 0, MAX_SEED);
    this.seed = seed.control;
    for (const control of [this.clip, this.normType, this.optimizer, this.steps, this.seed]) control.addEventListener('change', changed);

    this.element = el(
      'div',
      { class: 'lab-controls' },
      el('div', { class: 'lab-experiment' }, experiment.field),
      el(
        'div',
        { class: 'lab-buttons', role: 'group', 'aria-label': 'Training' },
        this.playButton,
        button('Step once', 'step', true),
        button('Reset', 'reset', true),
        speed.field,
      ),
      el(
        'details',
        { class: 'lab-settings', open: true },
        el('summary', {}, 'Settings'),
        el('div', { class: 'lab-grid' }, clip.field, this.threshold.field, norm.field, optimizer.field, this.learningRate.field, steps.field, seed.field),
      ),
    );
    this.element.addEventListener('click', (event) => {
      const target = (event.target as HTMLElement).closest<HTMLElement>('[data-action]');
      if (target && !target.hasAttribute('disabled')) events.action(target.dataset.action as LabAction);
    });
  }

  /** The save and export buttons, placed under the charts. */
  actions(): HTMLElement {
    const group = el(
      'div',
      { class: 'lab-buttons lab-actions', role: 'group', 'aria-label': 'Save and export' },
      button('Save experiment…', 'save', true),
      button('Open experiment…', 'open', true),
      button('Export CSV…', 'export-csv', true),
      button('Export PNG…', 'export-png', true),
      button('Copy as PyTorch', 'copy-pytorch', true),
      button('Export PyTorch script…', 'export-pytorch', true),
    );
    group.addEventListener('click', (event) => {
      const target = (event.target as HTMLElement).closest<HTMLElement>('[data-action]');
      if (target) this.events.action(target.dataset.action as LabAction);
    });
    return group;
  }

  setExperiments(choices: readonly ExperimentChoice[], selected: string): void {
    this.experimentSelect.replaceChildren(...choices.map((c) => el('vscode-option', { value: c.value }, c.label)));
    this.experimentSelect.value = selected;
  }

  /** `written`: the threshold as the loop's code writes it, shown while it is still the value. */
  show(settings: LabSettings, written?: WrittenThreshold): void {
    this.current = settings;
    this.clip.value = settings.clipMode;
    this.threshold.set(settings.threshold, thresholdNumber(settings.threshold, written));
    this.normType.value = settings.normType;
    this.optimizer.value = settings.optimizer;
    this.learningRate.set(settings.learningRate);
    this.steps.value = String(settings.steps);
    this.seed.value = String(settings.seed);
    this.threshold.disabled = settings.clipMode === 'off';
  }

  showSpeed(speed: Speed): void {
    this.speedSelect.value = String(speed);
  }

  showPlaying(playing: boolean, finished: boolean): void {
    // Written only when it changes: a button's text re-renders the element.
    const text = playing ? 'Pause' : finished ? 'Run again' : 'Start';
    if (this.playButton.textContent !== text) this.playButton.textContent = text;
    if (this.playButton.getAttribute('aria-pressed') !== String(playing)) this.playButton.setAttribute('aria-pressed', String(playing));
  }

  private emitSettings(): void {
    const previous = this.current;
    if (!previous) return;
    const whole = (text: string, fallback: number, min: number, max: number) => {
      const value = Number(text);
      return Number.isInteger(value) && value >= min && value <= max ? value : fallback;
    };
    const next: LabSettings = {
      clipMode: this.clip.value as LabSettings['clipMode'],
      threshold: this.threshold.value,
      normType: this.normType.value as LabSettings['normType'],
      optimizer: this.optimizer.value as LabSettings['optimizer'],
      learningRate: this.learningRate.value,
      steps: whole(this.steps.value, previous.steps, 1, LIMITS.steps),
      seed: whole(this.seed.value, previous.seed, 0, MAX_SEED),
    };
    // An untouched slider reads back its rounded position: keep the exact value it was given.
    if (sliderPosition(previous.threshold, THRESHOLD_RANGE) === sliderPosition(next.threshold, THRESHOLD_RANGE)) next.threshold = previous.threshold;
    if (sliderPosition(previous.learningRate, LEARNING_RATE_RANGE) === sliderPosition(next.learningRate, LEARNING_RATE_RANGE)) next.learningRate = previous.learningRate;
    this.events.settings(next);
  }
}
