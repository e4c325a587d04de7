// The Lab's live charts (uPlot): loss, total gradient norm before and after clipping with the
// threshold line, update size, and per-layer gradient norms, runs A and B side by side. Records
// go into growing typed arrays as they arrive; the charts are handed the arrays at most once per
// animation frame, never once per step. A frame draws only as many charts as keep frames on time
// (the canvas's own drawing, after the script, is most of a frame's cost), and a chart scrolled out
// of view waits until training stops or it comes back into view.
import 'uplot/dist/uPlot.min.css';
import { LabChart, type ChartSpec, type Divergence, type RunKey } from './chart';
import type { StepRecord } from './lab/runner';
import { GrowingSeries } from './series';
import type { Theme } from './theme';

export type { RunKey } from './chart';

export interface ChartSetup {
  steps: number;
  layerNames: string[];
  labels: Record<RunKey, string>;
  /** max_norm when either run clips by norm, and how to write it ("1.0"). */
  maxNorm?: { value: number; text: string };
}

interface RunSeries {
  loss: GrowingSeries;
  normBefore: GrowingSeries;
  normAfter: GrowingSeries;
  update: GrowingSeries;
  layers: GrowingSeries[];
}

/** Script time a frame may spend on the charts (of the 16.7 ms a 60 Hz frame has). */
const FRAME_BUDGET_MS = 6;
/** A 60 Hz display's frame, and how long after the one before a frame comes when it missed a refresh. */
const FRAME_MS = 1000 / 60;
const LATE_FRAME_MS = 24;
/** On-time frames in a row before a frame may draw one chart more. */
const ON_TIME_TO_GROW = 8;

export class LabCharts {
  readonly element: HTMLElement;
  private charts: LabChart[] = [];
  private x = new GrowingSeries();
  private runs: Record<RunKey, RunSeries> | undefined;
  private current: ChartSetup | undefined;
  private diverged: Divergence[] = [];
  private frame = 0;
  /** The chart the next frame starts with. */
  private nextChart = 0;
  /** Charts a frame may draw: halved after a late frame, one more after a run of frames on time. */
  private perFrame = Infinity;
  /** When the last frame's drawing started, how many charts it drew, and when the pending frame was asked for. */
  private lastStart = -Infinity;
  private drewLastFrame = 0;
  private requestedAt = 0;
  private onTime = 0;
  /** Whether training is running: while it is, charts out of view wait. */
  private training = false;
  /** Charts the page has scrolled out of view (until the first observation, every chart counts as in view). */
  private readonly outOfView = new WeakSet<Element>();
  private readonly resize: ResizeObserver;
  private readonly visibility: IntersectionObserver;
  /** Points handed to the charts so far (what the page has drawn, not what has arrived). */
  drawnPoints = 0;
  /** Called after a frame that drew points. */
  onDraw: ((points: number) => void) | undefined;

  constructor(private theme: Theme) {
    this.element = document.createElement('div');
    this.element.className = 'lab-charts';
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(this.element);
    this.visibility = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) this.outOfView.delete(entry.target);
        else this.outOfView.add(entry.target);
      }
      if (this.charts.some((c) => c.stale)) this.schedule();
    });
  }

  get points(): number {
    return this.x.length;
  }

  setup(setup: ChartSetup): void {
    this.x = new GrowingSeries();
    this.diverged = [];
    this.drawnPoints = 0;
    this.perFrame = Infinity;
    this.training = false;
    const runSeries = (): RunSeries => ({
      loss: new GrowingSeries(),
      normBefore: new GrowingSeries(),
      normAfter: new GrowingSeries(),
      update: new GrowingSeries(),
      layers: setup.layerNames.map(() => new GrowingSeries()),
    });
    this.runs = { a: runSeries(), b: runSeries() };
    this.current = setup;
    this.build();
  }

  /** (Re)creates the uPlot charts over the series kept so far (a new setup or a new theme). */
  private build(): void {
    this.destroyCharts();
    const runs = this.runs;
    const setup = this.current;
    if (!runs || !setup) return;
    const { a: colorA, b: colorB } = this.theme.runs;
    const label = (run: RunKey, what: string) => `${run.toUpperCase()} ${what}`;
    const palette = this.theme.palette;
    const specs: ChartSpec[] = [
      {
        key: 'loss',
        title: 'Loss (log scale)',
        lines: [
          { label: label('a', setup.labels.a), color: colorA, values: runs.a.loss },
          { label: label('b', setup.labels.b), color: colorB, values: runs.b.loss },
        ],
      },
      {
        key: 'norm',
        title: 'Total gradient norm: before clipping (dashed) and what the step used',
        lines: [
          { label: label('a', 'before clip'), color: colorA, dash: [4, 3], values: runs.a.normBefore },
          { label: label('a', 'step used'), color: colorA, values: runs.a.normAfter },
          { label: label('b', 'before clip'), color: colorB, dash: [4, 3], values: runs.b.normBefore },
          { label: label('b', 'step used'), color: colorB, values: runs.b.normAfter },
        ],
        ...(setup.maxNorm !== undefined ? { threshold: { value: setup.maxNorm.value, label: `max_norm=${setup.maxNorm.text}` } } : {}),
      },
      {
        key: 'update',
        title: 'Update size ‖Δθ‖ per step',
        lines: [
          { label: label('a', 'update'), color: colorA, values: runs.a.update },
          { label: label('b', 'update'), color: colorB, values: runs.b.update },
        ],
      },
      ...(['a', 'b'] as const).map((run) => ({
        key: `layers-${run}`,
        title: `Per-layer gradient norms, run ${run.toUpperCase()}`,
        runs: [run],
        lines: setup.layerNames.map((name, i) => ({
          label: name,
          color: palette[i % palette.length],
          ...(i >= palette.length ? { dash: [2, 2] } : {}),
          values: runs[run].layers[i],
        })),
      })),
    ];
    this.charts = specs.map((spec) => new LabChart(spec, this.x, setup.steps, this.theme, this.width(), () => this.diverged));
    for (const chart of this.charts) {
      this.element.append(chart.element);
      this.visibility.observe(chart.element);
    }
    this.charts[0]?.showDivergence(this.diverged);
    if (this.x.length) this.schedule();
  }

  append(a: readonly StepRecord[], b: readonly StepRecord[]): void {
    const runs = this.runs;
    if (!runs) return;
    const rows = Math.max(a.length, b.length);
    for (let i = 0; i < rows; i++) {
      this.x.push((a[i] ?? b[i]).step);
      pushRecord(runs.a, a[i]);
      pushRecord(runs.b, b[i]);
    }
    if (rows) this.schedule();
  }

  /** Says whether training is running; once it stops, charts that waited out of view are drawn. */
  set running(running: boolean) {
    if (this.training === running) return;
    this.training = running;
    if (!running && this.charts.some((c) => c.stale)) this.schedule();
  }

  /** Mark where a run diverged (the charts show "A diverged at step N"). */
  markDiverged(run: RunKey, step: number, reason: string): void {
    if (this.diverged.some((d) => d.run === run)) return;
    this.diverged.push({ run, step, reason });
    this.charts[0]?.showDivergence(this.diverged);
    // The markers are drawn with the data: every chart draws again.
    for (const chart of this.charts) chart.drawn = -1;
    this.schedule();
  }

  /** The same record value the charts hold for a run at a 0-based row (tests and the summary read it). */
  series(run: RunKey): RunSeries | undefined {
    return this.runs?.[run];
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.build();
  }

  /** Every chart with all its points, for the PNG export: charts that waited are drawn first (uPlot paints in a microtask). */
  async canvases(): Promise<Array<ReturnType<LabChart['snapshot']>>> {
    let drew = false;
    for (const chart of this.charts) {
      if (!chart.stale) continue;
      chart.draw();
      drew = true;
    }
    if (drew) await Promise.resolve();
    return this.charts.map((c) => c.snapshot());
  }

  /**
   * Hands the new points to the charts on the next frame. A frame draws charts in turn, as many as
   * keep frames on time and within its script budget (at least one), and the rest on the next
   * frames; charts out of view wait while training runs.
   */
  private schedule(): void {
    if (this.frame) return;
    this.requestedAt = performance.now();
    this.frame = requestAnimationFrame(() => this.drawFrame());
  }

  private drawFrame(): void {
    this.frame = 0;
    if (!this.charts.length) return;
    const started = performance.now();
    this.pace(started);
    // The first points go on every chart at once: the panel shows training has started.
    const first = this.drawnPoints === 0;
    const count = this.charts.length;
    let drew = 0;
    for (let i = 0; i < count && (first || drew < this.perFrame); i++) {
      const index = (this.nextChart + i) % count;
      const chart = this.charts[index];
      if (!chart.stale) continue;
      if (!first && this.waits(chart)) continue;
      chart.draw();
      drew++;
      this.nextChart = (index + 1) % count;
      if (!first && performance.now() - started > FRAME_BUDGET_MS) break;
    }
    this.drewLastFrame = drew;
    // Charts that wait out of view are drawn when training stops or they come into view (both schedule a frame).
    if (this.charts.some((c) => c.stale && !this.waits(c))) this.schedule();
    const drawn = Math.min(...this.charts.map((c) => c.drawn));
    if (drawn !== this.drawnPoints) {
      this.drawnPoints = drawn;
      this.onDraw?.(drawn);
    }
  }

  /** A chart out of view waits while training runs. */
  private waits(chart: LabChart): boolean {
    return this.training && this.outOfView.has(chart.element);
  }

  /**
   * A frame asked for within a frame of the last one that drew, but starting more than
   * LATE_FRAME_MS after it, missed a refresh (most often because the charts that frame drew were
   * still being painted, or other work held the page): this frame draws half as many charts. After
   * a run of frames on time, one more.
   */
  private pace(started: number): void {
    const previous = this.lastStart;
    this.lastStart = started;
    if (!this.drewLastFrame || this.requestedAt - previous > FRAME_MS) return;
    if (started - previous > LATE_FRAME_MS) {
      this.perFrame = Math.max(1, Math.floor(this.drewLastFrame / 2));
      this.onTime = 0;
    } else if (++this.onTime >= ON_TIME_TO_GROW) {
      this.onTime = 0;
      if (this.perFrame < this.charts.length) this.perFrame++;
      else this.perFrame = Infinity;
    }
  }

  private width(): number {
    return Math.max(140, Math.floor(this.element.clientWidth || 320));
  }

  private fit(): void {
    const width = this.width();
    for (const chart of this.charts) chart.resize(width);
  }

  private destroyCharts(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    for (const chart of this.charts) {
      this.visibility.unobserve(chart.element);
      chart.destroy();
    }
    this.charts = [];
    this.element.replaceChildren();
  }

  dispose(): void {
    this.destroyCharts();
    this.resize.disconnect();
    this.visibility.disconnect();
  }
}

function pushRecord(run: RunSeries, record: StepRecord | undefined): void {
  if (!record) return;
  run.loss.push(record.loss);
  run.normBefore.push(record.normBefore);
  run.normAfter.push(record.normAfter);
  run.update.push(record.updateSize);
  run.layers.forEach((layer, i) => layer.push(record.layerNorms[i] ?? Infinity));
}
