// One of the Lab's uPlot charts: its caption, its divergence notes and the plot, drawn from growing
// series it does not own. The max_norm line's label sits in a band above the plot area, so it can
// never cover the data; lines are one CSS pixel wide, which a canvas draws several times faster
// than thicker ones (the cost of a frame at full speed is mostly the canvas drawing its paths).
import uPlot from 'uplot';
import { GrowingSeries, logRange } from './series';
import type { Theme } from './theme';

export type RunKey = 'a' | 'b';

export interface Line {
  label: string;
  color: string;
  dash?: number[];
  values: GrowingSeries;
}

export interface ChartSpec {
  key: string;
  title: string;
  lines: Line[];
  /** The runs whose divergence this chart marks (both unless said). */
  runs?: RunKey[];
  /** A horizontal line (max_norm) that the range always includes, and its label ("max_norm=1.0"). */
  threshold?: { value: number; label: string };
}

export interface Divergence {
  run: RunKey;
  step: number;
  reason: string;
}

const HEIGHT = 150;
/** The band above the plot area that holds the threshold's label (CSS pixels). */
export const LABEL_BAND = 18;
const THRESHOLD_DASH = [6, 4];

/** Whole decades between the scale's ends, at most about six of them labelled. */
function decadeSplits(_u: uPlot, _axisIndex: number, min: number, max: number): number[] {
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
  return exponent >= -3 && exponent <= 3 ? String(Number(value.toPrecision(1))) : `1e${exponent}`;
}

/** A value under the cursor, in the legend: three significant digits (the CSV has them all). */
function legendValue(value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  return magnitude >= 1e5 || magnitude < 1e-3 ? value.toExponential(2) : String(Number(value.toPrecision(3)));
}

export class LabChart {
  readonly element: HTMLElement;
  private readonly plot: uPlot;
  private readonly notes: HTMLElement;
  /** Points this chart has drawn. */
  drawn = 0;

  constructor(
    private readonly spec: ChartSpec,
    private readonly x: GrowingSeries,
    steps: number,
    private readonly theme: Theme,
    width: number,
    private readonly diverged: () => readonly Divergence[],
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
    const named = [...spec.lines.map((l) => l.label), ...(spec.threshold ? [`a dashed line at ${spec.threshold.label}`] : [])];
    host.setAttribute('aria-label', `${spec.title}: ${named.join(', ')}`);
    this.element.append(caption, this.notes, host);
    const threshold = spec.threshold;
    const range = (): [number, number] => logRange(spec.lines.map((l) => l.values), threshold ? [threshold.value] : []);
    const options: uPlot.Options = {
      width,
      height: HEIGHT,
      pxAlign: false,
      padding: [threshold ? LABEL_BAND : null, null, null, null],
      cursor: { sync: { key: 'clipwise-lab' }, drag: { x: false, y: false } },
      // Legend keys are short pieces of their lines: dashed for a dashed line.
      legend: { show: true, live: true, markers: { width: 2, dash: (u: uPlot, i: number) => (u.series[i].dash ? 'dashed' : 'solid') } },
      scales: {
        x: { time: false, range: () => [1, Math.max(2, steps)] },
        y: { distr: 3, log: 10, range, clamp: (_u, _v, scaleMin) => scaleMin },
      },
      axes: [{ ...this.axis(), size: 32 }, { ...this.axis(), size: 48, splits: decadeSplits, filter: (_u: uPlot, splits: number[]) => splits, values: (_u: uPlot, splits: Array<number | null>) => splits.map(formatTick) }],
      series: [
        // Values only under the cursor: with no step pointed at, the legend names the lines and nothing else.
        { label: 'step', value: (_u, value) => (value === null ? '' : String(value)) },
        ...spec.lines.map((l) => ({ label: l.label, stroke: l.color, width: 1, dash: l.dash, points: { show: false }, spanGaps: false, value: (_u: uPlot, value: number | null) => legendValue(value) })),
      ],
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

  /** Whether the chart shows fewer points than the series hold. */
  get stale(): boolean {
    return this.drawn !== this.x.length;
  }

  draw(): void {
    this.plot.setData(this.data());
    this.drawn = this.x.length;
    const points = String(this.x.length);
    if (this.element.dataset.points !== points) this.element.dataset.points = points;
  }

  /** The threshold line with its label above the plot area, and the divergence markers, on the chart's own canvas. */
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
      ctx.setLineDash(THRESHOLD_DASH.map((d) => d * ratio));
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      // The key, right-aligned in the band above the plot: a piece of the same dashed line, then the label.
      const textWidth = ctx.measureText(threshold.label).width;
      const baseline = top - 5 * ratio;
      const keyEnd = left + width - textWidth - 6 * ratio;
      ctx.moveTo(keyEnd - 16 * ratio, baseline - 4 * ratio);
      ctx.lineTo(keyEnd, baseline - 4 * ratio);
      ctx.stroke();
      ctx.fillStyle = this.theme.threshold;
      ctx.textAlign = 'right';
      ctx.textBaseline = 'alphabetic';
      ctx.fillText(threshold.label, left + width, baseline);
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

  showDivergence(list: readonly Divergence[]): void {
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

  snapshot(): { title: string; canvas: HTMLCanvasElement; legend: Array<{ label: string; color: string; dash?: number[] }> } {
    return { title: this.spec.title, canvas: this.plot.ctx.canvas, legend: this.spec.lines.map((l) => ({ label: l.label, color: l.color, ...(l.dash ? { dash: l.dash } : {}) })) };
  }

  destroy(): void {
    this.plot.destroy();
  }
}
