// What leaves the Lab as files: the per-step table as CSV (the same table `clipwise lab run`
// prints) and the charts as one PNG picture.
import { resolveRun, type Experiment } from './lab/experiment';
import type { RunStatus, StepRecord } from './lab/runner';
import { formatCsv, type LabTable } from './lab/table';
import type { LabCharts } from './charts';
import type { Theme } from './theme';

export function csvOf(experiment: Experiment, layerNames: string[], runs: Record<'a' | 'b', { label: string; records: StepRecord[]; status: RunStatus | undefined }>): string {
  const run = (id: 'a' | 'b') => {
    const r = runs[id];
    const out: LabTable['a'] = { label: r.label, records: r.records, scaled: resolveRun(experiment, id).scaler !== null };
    if (r.status?.diverged) out.diverged = r.status.diverged;
    return out;
  };
  const table: LabTable = { layerNames, a: run('a'), b: run('b') };
  if (experiment.title !== undefined) table.title = experiment.title;
  return formatCsv(table);
}

/** The charts one under another, each with its title and legend, on the theme's background. */
export async function pngOf(charts: LabCharts, theme: Theme, title: string): Promise<string> {
  const parts = await charts.canvases();
  const ratio = devicePixelRatio || 1;
  const pad = Math.round(8 * ratio);
  const line = Math.round(16 * ratio);
  const width = Math.max(...parts.map((p) => p.canvas.width), 320 * ratio) + 2 * pad;
  const height = line * 2 + parts.reduce((sum, p) => sum + p.canvas.height + line * 2 + pad, 0) + pad;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw the picture');
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, width, height);
  ctx.textBaseline = 'top';
  ctx.fillStyle = theme.foreground;
  ctx.font = `bold ${Math.round(13 * ratio)}px ${theme.fontFamily}`;
  ctx.fillText(title, pad, pad);
  let y = pad + line * 2;
  for (const part of parts) {
    ctx.font = `${Math.round(12 * ratio)}px ${theme.fontFamily}`;
    ctx.fillStyle = theme.foreground;
    ctx.fillText(part.title, pad, y);
    y += line;
    let x = pad;
    ctx.font = `${Math.round(11 * ratio)}px ${theme.fontFamily}`;
    for (const entry of part.legend) {
      // The key is a piece of the line: dashed for a dashed line, as on the chart.
      ctx.strokeStyle = entry.color;
      ctx.lineWidth = 2 * ratio;
      ctx.setLineDash((entry.dash ?? []).map((d) => d * ratio));
      ctx.beginPath();
      ctx.moveTo(x, y + 6 * ratio);
      ctx.lineTo(x + 16 * ratio, y + 6 * ratio);
      ctx.stroke();
      ctx.setLineDash([]);
      x += 20 * ratio;
      ctx.fillStyle = theme.foreground;
      ctx.fillText(entry.label, x, y);
      x += ctx.measureText(entry.label).width + 12 * ratio;
    }
    y += line;
    ctx.drawImage(part.canvas, pad, y);
    y += part.canvas.height + pad;
  }
  return canvas.toDataURL('image/png');
}

/** A file name from a title: letters, digits and dashes. */
export function fileNameOf(title: string | undefined, extension: string): string {
  const stem = (title ?? 'experiment').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'experiment';
  return `${stem}.${extension}`;
}
