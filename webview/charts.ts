// The Lab's live charts (uPlot): loss, total gradient norm before and after clipping with the
// threshold line, update size, and per-layer gradient norms, runs A and B side by side. Records
// go into growing typed arrays as they arrive; the charts are handed the arrays once per animation
// frame, never once per step.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { StepRecord } from './lab/runner';
import { GrowingSeries, logRange } from './series';
import type { Theme } from './theme';

export type RunKey = 'a' | 'b';

interface Line {
  label: string;
  color: string;
  dash?: number[];
  width?: number;
  values: GrowingSeries;
}

interface ChartSpec {
  key: string;
  title: string;
  lines: Line[];
  /** The runs whose divergence this chart marks (both unless said). */
  runs?: RunKey[];
  /** A horizontal line (max_norm) that the range always includes. */
  threshold?: { value: number; label: string };
}

export interface ChartSetup {
  steps: number;
  layerNames: string[];
  labels: Record<RunKey, string>;
  /** max_norm when either run clips by norm. */
  maxNorm?: number;
}

interface RunSeries {
  loss: GrowingSeries;
  normBefore: GrowingSeries;
  normAfter: GrowingSeries;
  update: GrowingSeries;
  layers: GrowingSeries[];
}

const HEIGHT = 150;
/** Drawing time a frame may spend on the charts (of the 16.7 ms a 60 Hz frame has). */
const FRAME_BUDGET_MS = 6;

export class LabCharts {
  readonly element: HTMLElement;
  private charts: LabChart[] = [];
  private x = new GrowingSeries();
  private runs: Record<RunKey, RunSeries> | undefined;
  private current: ChartSetup | undefined;
  private diverged: Array<{ run: RunKey; step: number; reason: string }> = [];
  private frame = 0;
  /** The chart the next frame starts with. */
  private nextChart = 0;
  private readonly resize: ResizeObserver;
  /** Points handed to the charts so far (what the page has drawn, not what has arrived). */
  drawnPoints = 0;
  /** Called after a frame that drew points. */
  onDraw: ((points: number) => void) | undefined;

  constructor(private theme: Theme) {
    this.element = document.createElement('div');
    this.element.className = 'lab-charts';
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(this.element);
  }

  get points(): number {
    return this.x.length;
  }

  setup(setup: ChartSetup): void {
    this.x = new GrowingSeries();
    this.diverged = [];
    this.drawnPoints = 0;
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
          { label: label('a', 'before clip'), color: colorA, dash: [4, 3], width: 1, values: runs.a.normBefore },
          { label: label('a', 'step used'), color: colorA, values: runs.a.normAfter },
          { label: label('b', 'before clip'), color: colorB, dash: [4, 3], width: 1, values: runs.b.normBefore },
          { label: label('b', 'step used'), color: colorB, values: runs.b.normAfter },
        ],
        ...(setup.maxNorm !== undefined ? { threshold: { value: setup.maxNorm, label: `max_norm ${setup.maxNorm}` } } : {}),
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
    for (const chart of this.charts) this.element.append(chart.element);
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

  /** All charts, one under another, as one canvas (for the PNG export). */
  canvases(): Array<{ title: string; canvas: HTMLCanvasElement; legend: Array<{ label: string; color: string }> }> {
    return this.charts.map((c) => c.snapshot());
  }

  /**
   * Hands the new points to the charts on the next frame. A frame draws charts in turn until its
   * budget is spent (at least one chart), and the rest on the next frames, so a frame stays short
   * however many points the charts hold.
   */
  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (!this.charts.length) return;
      const started = performance.now();
      const count = this.charts.length;
      for (let i = 0; i < count; i++) {
        const chart = this.charts[(this.nextChart + i) % count];
        if (chart.drawn === this.x.length) continue;
        chart.draw();
        if (performance.now() - started > FRAME_BUDGET_MS) {
          this.nextChart = (this.nextChart + i + 1) % count;
          break;
        }
      }
      const drawn = Math.min(...this.charts.map((c) => c.drawn));
      if (drawn < this.x.length) this.schedule();
      if (drawn !== this.drawnPoints) {
        this.drawnPoints = drawn;
        this.onDraw?.(drawn);
      }
    });
  }

  private width(): number {
    return Math.max(200, Math.floor(this.element.clientWidth || 320));
  }

  private fit(): void {
    const width = this.width();
    for (const chart of this.charts) chart.resize(width);
  }

  private destroyCharts(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
    this.element.replaceChildren();
  }

  dispose(): void {
    this.destroyCharts();
    this.resize.disconnect();
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

/** Whole decades between the scale's ends, at most about six of them labelled. */
function decadeSplits(u: uPlot, axisIndex: number, min: number, max: number): number[] {
  void u;
  void axisIndex;
  const low = Math.ceil(Math.log10(min) - 1e-9);
  const high = Math.floor(Math.log10(max) + 1e-9);
  const every = Math.max(1, Math.ceil((high - low + 1) / 6));
  const splits: number[] = [];
  for (let e = low; e <= high; e += every) splits.push(10 ** e);
  return splits;
}

/** uPlot hands over null for the splits its filter leaves unlabelled. */
function formatTick(value: number | null): string {
  if (value === null || !(value > 0)) return '';
  const exponent = Math.round(Math.log10(value));
  return exponent >= -2 && exponent <= 3 ? String(Number(value.toPrecision(1))) : `1e${exponent}`;
}

/** One uPlot chart with its caption and its divergence notes. */
class LabChart {
  readonly element: HTMLElement;
  private readonly plot: uPlot;
  private readonly notes: HTMLElement;

  constructor(
    private readonly spec: ChartSpec,
    private readonly x: GrowingSeries,
    steps: number,
    private readonly theme: Theme,
    width: number,
    private readonly diverged: () => ReadonlyArray<{ run: RunKey; step: number; reason: string }>,
  ) {
    this.element = document.createElement('figure');
    this.element.className = 'lab-chart';
    this.element.dataset.chart = spec.key;
    this.element.dataset.points = '0';
    const caption = document.createElement('figcaption');
    caption.textContent = spec.title;
    this.notes = document.createElement('div');
    this.notes.className = 'lab-chart-notes';
    this.notes.setAttribute('role', 'status');
    const host = document.createElement('div');
    host.className = 'lab-chart-plot';
    // The canvas has no text: the status line and the summary above say in words what it shows.
    host.setAttribute('role', 'img');
    host.setAttribute('aria-label', `${spec.title}: ${spec.lines.map((l) => l.label).join(', ')}`);
    this.element.append(caption, this.notes, host);
    const threshold = spec.threshold;
    const range = (): [number, number] => logRange(spec.lines.map((l) => l.values), threshold ? [threshold.value] : []);
    const options: uPlot.Options = {
      width,
      height: HEIGHT,
      pxAlign: false,
      cursor: { sync: { key: 'clipwise-lab' }, drag: { x: false, y: false } },
      legend: { show: true, live: true },
      scales: {
        x: { time: false, range: () => [1, Math.max(2, steps)] },
        y: { distr: 3, log: 10, range, clamp: (_u, _v, scaleMin) => scaleMin },
      },
      axes: [this.axis(), { ...this.axis(), size: 48, splits: decadeSplits, filter: (_u: uPlot, splits: number[]) => splits, values: (_u: uPlot, splits: Array<number | null>) => splits.map(formatTick) }],
      series: [{ label: 'step' }, ...spec.lines.map((l) => ({ label: l.label, stroke: l.color, width: l.width ?? 1.5, dash: l.dash, points: { show: false }, spanGaps: false }))],
      hooks: { draw: [(u: uPlot) => this.overlay(u)] },
    };
    this.plot = new uPlot(options, this.data(), host);
  }

  private axis(): uPlot.Axis {
    const { foreground, grid } = this.theme;
    return { stroke: foreground, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  }

  private data(): uPlot.AlignedData {
    return [this.x.view(), ...this.spec.lines.map((l) => l.values.view())] as unknown as uPlot.AlignedData;
  }

  /** Points this chart has drawn. */
  drawn = 0;

  draw(): void {
    this.plot.setData(this.data());
    this.drawn = this.x.length;
    const points = String(this.x.length);
    if (this.element.dataset.points !== points) this.element.dataset.points = points;
  }

  /** The threshold line and the divergence markers, on the chart's own canvas. */
  private overlay(u: uPlot): void {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const ratio = devicePixelRatio || 1;
    ctx.save();
    ctx.font = `${Math.round(11 * ratio)}px ${this.theme.fontFamily}`;
    const threshold = this.spec.threshold;
    if (threshold) {
      const y = u.valToPos(threshold.value, 'y', true);
      ctx.strokeStyle = this.theme.threshold;
      ctx.lineWidth = ratio;
      ctx.setLineDash([6 * ratio, 4 * ratio]);
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
      ctx.fillStyle = this.theme.threshold;
      ctx.textAlign = 'right';
      ctx.fillText(threshold.label, left + width - 4 * ratio, y - 4 * ratio);
    }
    for (const d of this.diverged()) {
      if (this.spec.runs && !this.spec.runs.includes(d.run)) continue;
      const x = u.valToPos(d.step, 'x', true);
      ctx.strokeStyle = this.theme.danger;
      ctx.setLineDash([]);
      ctx.lineWidth = 1.5 * ratio;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.fillStyle = this.theme.danger;
      ctx.textAlign = x > left + width / 2 ? 'right' : 'left';
      const offset = (x > left + width / 2 ? -4 : 4) * ratio;
      ctx.fillText(`${d.run.toUpperCase()} diverged at step ${d.step}`, x + offset, top + (d.run === 'a' ? 14 : 28) * ratio);
    }
    ctx.restore();
  }

  showDivergence(list: ReadonlyArray<{ run: RunKey; step: number; reason: string }>): void {
    this.notes.replaceChildren(
      ...list.map((d) => {
        const note = document.createElement('p');
        note.className = 'lab-diverged';
        note.textContent = `${d.run.toUpperCase()} diverged at step ${d.step}: ${d.reason}`;
        return note;
      }),
    );
  }

  resize(width: number): void {
    this.plot.setSize({ width, height: HEIGHT });
  }

  snapshot(): { title: string; canvas: HTMLCanvasElement; legend: Array<{ label: string; color: string }> } {
    return { title: this.spec.title, canvas: this.plot.ctx.canvas, legend: this.spec.lines.map((l) => ({ label: l.label, color: l.color })) };
  }

  destroy(): void {
    this.plot.destroy();
  }
}
