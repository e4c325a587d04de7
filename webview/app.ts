// The Gradient Lab panel: which experiment is on show, its two runs as the worker trains them,
// the charts, the words about the difference, and everything the user can do with it. State is
// kept with the webview API (getState/setState) and sent to the host as the experiment record,
// so a hidden or reloaded view comes back where it was.
import { LabCharts } from './charts';
import { Controls, type ExperimentChoice, type LabAction } from './controls';
import { el } from './dom';
import { csvOf, fileNameOf, pngOf } from './exports';
import { Host } from './host';
import { parseExperiment, resolveRun, type Experiment, type RunId } from './lab/experiment';
import { PRESETS, presetExperiment, type Preset } from './lab/presets';
import { runSettings, thresholdNumber } from './lab/run-settings';
import { layerNamesOf } from './lab/layer-names';
import { experimentFromLoop } from './lab/this-loop';
import { readSavedLab, type SavedLab } from './lab-state';
import type { HostMessage, LabSource } from './protocol';
import { baseName, describeSource, reportOf, writtenThreshold, type Showing } from './showing';
import { applySettings, settingsOf, type LabSettings } from './settings';
import { sentence, summaryLines } from './summary';
import { readTheme, watchTheme } from './theme';
import type { Training } from './training';
import type { Speed, TrainerEvent } from './worker-protocol';

const REPORT_INTERVAL_MS = 250;
/** How long a fresh page waits for the host's first message before it shows the presets anyway. */
const HOST_ANSWER_MS = 2000;
const DEFAULT_SPEED: Speed = 300;

export class LabApp {
  private readonly host = new Host();
  private readonly charts: LabCharts;
  private readonly controls: Controls;
  private readonly heading = el('h2', { class: 'lab-title' });
  private readonly description = el('p', { class: 'lab-description' });
  private readonly runsList = el('dl', { class: 'lab-runs' });
  private readonly status = el('p', { class: 'lab-status', role: 'status', 'aria-live': 'polite' });
  private readonly summary = el('div', { class: 'lab-summary', 'aria-live': 'polite' });
  private readonly notices = el('div', { class: 'lab-notices', role: 'alert' });
  private showing: Showing | undefined;
  private playing = false;
  private speed: Speed = DEFAULT_SPEED;
  /** The last "this loop" and opened file, so the experiment menu can go back to them. */
  private loopSource: Extract<LabSource, { kind: 'loop' }> | undefined;
  private fileShown: { source: Extract<LabSource, { kind: 'file' }>; experiment: Experiment } | undefined;
  private reportTimer = 0;
  /** What the charts were last built for (steps, layer names, labels, max_norm), so the same setup is not built twice. */
  private chartsFor = '';
  private statusFrame = 0;

  constructor(
    root: HTMLElement,
    private readonly training: Training,
  ) {
    let theme = readTheme();
    this.charts = new LabCharts(theme);
    this.charts.onDraw = (points) => this.drew(points);
    watchTheme(() => {
      theme = readTheme();
      this.charts.setTheme(theme);
    });
    this.controls = new Controls({
      experiment: (value) => this.chooseExperiment(value),
      settings: (settings) => this.changeSettings(settings),
      speed: (speed) => this.changeSpeed(speed),
      action: (action) => this.act(action, () => theme),
    });
    training.onEvent = (event) => this.trainerEvent(event);
    training.onProblem = (problem) => this.problem(problem);
    root.replaceChildren(
      el('header', { class: 'lab-header' }, this.heading, this.description, this.runsList),
      this.controls.element,
      this.status,
      this.summary,
      this.notices,
      this.charts.element,
      this.controls.actions(),
    );
    root.removeAttribute('aria-busy');
    performance.mark('lab:panel');
  }

  /**
   * `worker`: the training worker starting (Training.start), so a failure to start is shown.
   * Without a state of its own the page waits for the host to say what to show (the lens's loop,
   * the experiment record or the presets), so it never builds a preset only to replace it.
   */
  start(worker: Promise<void>): void {
    this.host.listen((message) => this.hostMessage(message));
    const saved = readSavedLab(this.host.state);
    const restored = saved ? this.restore(saved) : false;
    this.host.post({ type: 'ready', restored });
    if (!restored) {
      window.setTimeout(() => {
        if (!this.showing) {
          this.host.log('warn', 'Gradient Lab: the host did not say what to show; showing the presets');
          this.showPreset(PRESETS[0].id, false);
        }
      }, HOST_ANSWER_MS);
    }
    worker.catch((error: unknown) => this.problem((error as Error).message));
  }

  // ---- what is on show ----

  private show(experiment: Experiment, source: LabSource, options: { autoplay: boolean; restoreTo?: number; speed?: Speed }): void {
    if (source.kind === 'loop') this.loopSource = source;
    if (source.kind === 'file') this.fileShown = { source, experiment };
    const label = (id: RunId) => resolveRun(experiment, id).label;
    this.showing = {
      experiment,
      source,
      layerNames: layerNamesOf(experiment.model),
      runs: { a: { label: label('a'), records: [], status: undefined }, b: { label: label('b'), records: [], status: undefined } },
      finished: false,
      restoreTo: options.restoreTo ?? 0,
    };
    this.playing = false;
    if (options.speed !== undefined) this.speed = options.speed;
    this.training.load(experiment);
    this.training.speed(this.speed);
    // Sent with the load, not after the worker's answer: the worker reads them in order.
    if (options.restoreTo) this.training.advanceTo(options.restoreTo);
    if (options.autoplay) this.play();
    this.controls.show(settingsOf(experiment), writtenThreshold(source));
    this.controls.showSpeed(this.speed);
    this.controls.setExperiments(this.choices(), this.choiceOf(source));
    this.heading.textContent = experiment.title ?? 'Experiment';
    this.description.textContent = describeSource(source);
    this.showRuns(experiment, source);
    this.summary.replaceChildren();
    this.updateStatus();
    this.saveState();
    // Empty charts are built now, while the worker builds the model, rather than after it answers.
    this.setupCharts(this.showing, this.showing.layerNames, { a: label('a'), b: label('b') }, true);
  }

  /** Builds empty charts for what is on show: always for a new run, on the worker's answer only if it differs from what show() built. */
  private setupCharts(showing: Showing, layerNames: string[], labels: Record<RunId, string>, always: boolean): void {
    const setup = { steps: showing.experiment.steps, layerNames, labels, ...this.maxNorm(showing) };
    const key = JSON.stringify(setup);
    if (!always && key === this.chartsFor) return;
    this.chartsFor = key;
    this.charts.setup(setup);
  }

  private showPreset(id: Preset['id'], autoplay: boolean): void {
    this.show(presetExperiment(id), { kind: 'preset', id }, { autoplay });
  }

  private restore(saved: SavedLab): boolean {
    const parsed = parseExperiment(saved.experiment);
    if (!parsed.ok) {
      this.host.log('warn', `Gradient Lab could not restore its experiment: ${parsed.problems.join('; ')}`);
      return false;
    }
    this.show(parsed.experiment, saved.source, { autoplay: saved.playing, restoreTo: saved.reached, speed: saved.speed });
    return true;
  }

  private choices(): ExperimentChoice[] {
    const choices: ExperimentChoice[] = PRESETS.map((p) => ({ value: `preset:${p.id}`, label: p.title }));
    if (this.loopSource) choices.unshift({ value: 'loop', label: `This loop (${baseName(this.loopSource.file)}:${this.loopSource.line + 1})` });
    if (this.fileShown) choices.push({ value: 'file', label: `Opened: ${this.fileShown.source.name}` });
    return choices;
  }

  private choiceOf(source: LabSource): string {
    return source.kind === 'preset' ? `preset:${source.id}` : source.kind;
  }

  private chooseExperiment(value: string): void {
    if (this.showing && value === this.choiceOf(this.showing.source)) return;
    if (value === 'loop' && this.loopSource) this.show(experimentFromLoop(this.loopSource.loop), this.loopSource, { autoplay: false });
    else if (value === 'file' && this.fileShown) this.show(this.fileShown.experiment, this.fileShown.source, { autoplay: false });
    else if (value.startsWith('preset:')) {
      const preset = PRESETS.find((p) => `preset:${p.id}` === value);
      if (preset) this.showPreset(preset.id, false);
    }
  }

  /** Each run's label (its order of calls), its calls, and its settings as they are now: the one place the panel states them. */
  private showRuns(experiment: Experiment, source: LabSource): void {
    const written = writtenThreshold(source);
    const entries = (['a', 'b'] as const).flatMap((id) => {
      const run = resolveRun(experiment, id);
      const calls = run.calls.map((c) => (c.windowEnd && experiment.accumulation > 1 ? `${c.call} (window end)` : c.call)).join(' → ');
      const settings = runSettings(experiment, id, written);
      return [el('dt', { class: `lab-run-${id}` }, `${id.toUpperCase()}: ${run.label}`), el('dd', {}, el('code', {}, calls), el('span', {}, ` — ${settings.join(', ')}`))];
    });
    this.runsList.replaceChildren(...entries);
  }

  // ---- messages ----

  private hostMessage(message: HostMessage): void {
    switch (message.type) {
      case 'show-loop': {
        const source: LabSource = { kind: 'loop', loop: message.loop, file: message.file, line: message.line, ...(message.code ? { code: message.code } : {}) };
        this.show(experimentFromLoop(message.loop), source, { autoplay: true });
        return;
      }
      case 'show-experiment': {
        const parsed = parseExperiment(message.experiment);
        if (!parsed.ok) return this.problem(`The experiment cannot be shown: ${parsed.problems.join('; ')}`);
        this.show(parsed.experiment, message.source, { autoplay: false });
        return;
      }
      case 'show-presets':
        // The loop or file shown before stays in the experiment menu.
        if (this.showing?.source.kind !== 'preset') this.showPreset(PRESETS[0].id, false);
        return;
      case 'notice':
        this.notice(message.level, message.message);
        return;
    }
  }

  private trainerEvent(event: TrainerEvent): void {
    const showing = this.showing;
    if (!showing) return;
    switch (event.type) {
      case 'loaded':
        performance.mark('lab:loaded');
        showing.layerNames = event.layerNames;
        showing.runs.a.label = event.labels.a;
        showing.runs.b.label = event.labels.b;
        // Built already at show() from the experiment; again only if the worker's model says otherwise.
        this.setupCharts(showing, event.layerNames, event.labels, false);
        return;
      case 'records':
        showing.runs.a.records.push(...event.a);
        showing.runs.b.records.push(...event.b);
        showing.runs.a.status = event.status.a;
        showing.runs.b.status = event.status.b;
        showing.finished = event.finished;
        this.playing = event.playing;
        this.charts.append(event.a, event.b);
        this.charts.running = event.playing && !event.finished;
        for (const id of ['a', 'b'] as const) {
          const diverged = event.status[id].diverged;
          if (diverged) this.charts.markDiverged(id, diverged.step, diverged.reason);
        }
        this.statusSoon();
        this.scheduleReport(event.finished || !event.playing);
        return;
      case 'failed':
        this.problem(`The experiment cannot run: ${event.problems.join('; ')}`);
        return;
    }
  }

  /** The max_norm line of the norm chart, written as the slider writes it ("1.0", or the code's own number literal). */
  private maxNorm(showing: Showing): { maxNorm?: { value: number; text: string } } {
    const clips = (['a', 'b'] as const).map((id) => resolveRun(showing.experiment, id).clip).filter((c) => c.mode === 'norm');
    return clips.length ? { maxNorm: { value: clips[0].threshold, text: thresholdNumber(clips[0].threshold, writtenThreshold(showing.source)) } } : {};
  }

  // ---- controls ----

  private play(): void {
    this.playing = true;
    this.training.play();
    this.updateStatus();
  }

  private changeSettings(settings: LabSettings): void {
    const showing = this.showing;
    if (!showing) return;
    const parsed = parseExperiment(applySettings(showing.experiment, settings));
    if (!parsed.ok) {
      this.problem(`Those settings cannot run: ${parsed.problems.join('; ')}`);
      this.controls.show(settingsOf(showing.experiment), writtenThreshold(showing.source));
      return;
    }
    this.show(parsed.experiment, showing.source, { autoplay: this.playing });
  }

  private changeSpeed(speed: Speed): void {
    this.speed = speed;
    this.training.speed(speed);
    this.saveState();
  }

  private act(action: LabAction, theme: () => ReturnType<typeof readTheme>): void {
    const showing = this.showing;
    if (!showing) return;
    const { experiment } = showing;
    switch (action) {
      case 'play':
        if (this.playing) {
          this.playing = false;
          this.training.pause();
        } else if (showing.finished) {
          this.show(experiment, showing.source, { autoplay: true });
        } else this.play();
        this.updateStatus();
        this.saveState();
        return;
      case 'step':
        this.playing = false;
        this.training.stepOnce();
        return;
      case 'reset':
        this.show(experiment, showing.source, { autoplay: false });
        return;
      case 'save':
        this.host.post({ type: 'save-experiment', experiment, suggestedName: fileNameOf(experiment.title, 'json') });
        return;
      case 'open':
        this.host.post({ type: 'open-experiment' });
        return;
      case 'export-csv':
        this.host.post({ type: 'export-csv', csv: csvOf(experiment, showing.layerNames, showing.runs), suggestedName: fileNameOf(experiment.title, 'csv') });
        return;
      case 'export-png':
        void pngOf(this.charts, theme(), experiment.title ?? 'Gradient Lab').then(
          (dataUrl) => this.host.post({ type: 'export-png', dataUrl, suggestedName: fileNameOf(experiment.title, 'png') }),
          (error: unknown) => this.problem(`The picture could not be made: ${(error as Error).message}`),
        );
        return;
      case 'copy-pytorch':
        this.host.post({ type: 'copy-pytorch', experiment });
        return;
      case 'export-pytorch':
        this.host.post({ type: 'export-pytorch', experiment, suggestedName: fileNameOf(experiment.title, 'py').replace(/-/g, '_') });
        return;
    }
  }

  // ---- what the panel says ----

  /** The status line once per frame at most (records arrive many times a frame at full speed). */
  private statusSoon(): void {
    if (this.statusFrame) return;
    this.statusFrame = requestAnimationFrame(() => {
      this.statusFrame = 0;
      this.updateStatus();
    });
  }

  private updateStatus(): void {
    const showing = this.showing;
    if (!showing) return;
    const done = Math.max(showing.runs.a.records.length, showing.runs.b.records.length);
    const state = this.playing ? 'training' : showing.finished ? 'finished' : done ? 'paused' : 'ready';
    const diverged = (['a', 'b'] as const)
      .map((id) => showing.runs[id].status?.diverged && `${id.toUpperCase()} diverged at step ${showing.runs[id].status!.diverged!.step}`)
      .filter(Boolean);
    const text = [`Step ${done} of ${showing.experiment.steps}`, state, ...diverged].join(' · ');
    if (this.status.textContent !== text) this.status.textContent = text;
    // While training, the step count and the words change many times a second: a screen reader
    // waits (aria-busy) and reads them once training pauses or finishes.
    const busy = String(this.playing);
    for (const region of [this.status, this.summary]) if (region.getAttribute('aria-busy') !== busy) region.setAttribute('aria-busy', busy);
    this.controls.showPlaying(this.playing, showing.finished);
  }

  private drew(points: number): void {
    const showing = this.showing;
    if (!showing || points === 0) return;
    const first = showing.firstPointAt === undefined;
    if (first) {
      showing.firstPointAt = Date.now();
      performance.mark('lab:first-point');
    }
    // Once training has stopped and the charts hold every step, the host hears of it at once.
    const caughtUp = !this.playing && points === Math.max(showing.runs.a.records.length, showing.runs.b.records.length);
    this.scheduleReport(first || caughtUp);
  }

  private scheduleReport(now: boolean): void {
    if (now) {
      window.clearTimeout(this.reportTimer);
      this.reportTimer = 0;
      this.report();
      return;
    }
    if (this.reportTimer) return;
    this.reportTimer = window.setTimeout(() => {
      this.reportTimer = 0;
      this.report();
    }, REPORT_INTERVAL_MS);
  }

  private report(): void {
    const showing = this.showing;
    if (!showing) return;
    const parts = summaryLines(showing.experiment, showing.source, showing.runs.a, showing.runs.b);
    const lines = parts.map(sentence);
    this.summary.replaceChildren(...parts.map((line) => (line.name ? el('p', {}, el('strong', { class: `lab-run-${line.run}` }, `${line.name}:`), ` ${line.text}`) : el('p', {}, line.text))));
    this.saveState();
    const report = reportOf(showing, { chartPoints: this.charts.drawnPoints, playing: this.playing, summary: lines });
    this.host.post({ type: 'report', experiment: showing.experiment, source: showing.source, report });
  }

  private saveState(): void {
    const showing = this.showing;
    if (!showing) return;
    const state: SavedLab = {
      version: 1,
      experiment: showing.experiment,
      source: showing.source,
      reached: Math.max(showing.runs.a.records.length, showing.runs.b.records.length, showing.restoreTo),
      playing: this.playing,
      speed: this.speed,
    };
    this.host.state = state;
  }

  private notice(level: 'info' | 'error', message: string): void {
    const item = el('p', { class: `lab-notice lab-notice-${level}` }, message);
    this.notices.replaceChildren(item);
  }

  private problem(message: string): void {
    this.notice('error', message);
    this.host.log('error', message);
  }
}
