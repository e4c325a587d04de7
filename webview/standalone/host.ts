// The `npm run lab` page's stand-in for VS Code: `acquireVsCodeApi()` with the same three calls,
// and an "extension host" that answers the view's messages the browser's way (downloads for
// saved files, a file picker for opening, the clipboard). Loaded before the Lab's own bundle,
// which is the same bundle the editor loads. Not part of the extension.
//
// Query parameters: `theme=light|dark|high-contrast|high-contrast-light`; `loop=<LoopSummary JSON>`
// opens "this loop" as the lens would.
import './themes.css';
import { parseExperiment, serializeExperiment } from '../lab/experiment';
import { copyAsPyTorch, exportPyTorchScript } from '../lab/export-pytorch';
import { readLoop, readSource, readViewMessage, type HostMessage, type LabReport, type ViewMessage } from '../protocol';
import { describeValue } from '../guards';

const STATE_KEY = 'clipwise-lab-state';
const RECORD_KEY = 'clipwise-lab-record';

/** What the stand-in host has seen, for the page's own tests to read (the extension keeps the same). */
export interface StandInRecord {
  reports: LabReport[];
  last: LabReport | undefined;
  /** Text put on the clipboard by "Copy as PyTorch". */
  copied: string | undefined;
  ignored: number;
}

declare global {
  interface Window {
    acquireVsCodeApi(): { postMessage(message: unknown): void; getState(): unknown; setState(state: unknown): void };
    clipwiseLabHost: StandInRecord;
  }
}

const params = new URLSearchParams(location.search);
const theme = params.get('theme') ?? 'dark';
document.body.classList.add(`vscode-${['light', 'dark', 'high-contrast', 'high-contrast-light'].includes(theme) ? theme : 'dark'}`);
if (theme === 'high-contrast-light') document.body.classList.add('vscode-high-contrast');

const record: StandInRecord = { reports: [], last: undefined, copied: undefined, ignored: 0 };
window.clipwiseLabHost = record;

function toView(message: HostMessage): void {
  // As VS Code does: the message arrives as a window message event, asynchronously.
  setTimeout(() => window.postMessage(message, location.origin), 0);
}

function download(name: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function pickFile(): void {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = '.json,application/json';
  input.hidden = true;
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    input.remove();
    if (!file) return;
    let value: unknown;
    try {
      value = JSON.parse(await file.text());
    } catch (error) {
      return toView({ type: 'notice', level: 'error', message: `${file.name} is not JSON: ${(error as Error).message}` });
    }
    const parsed = parseExperiment(value);
    if (!parsed.ok) return toView({ type: 'notice', level: 'error', message: `${file.name} is not a Gradient Lab experiment: ${parsed.problems.join('; ')}` });
    toView({ type: 'show-experiment', experiment: parsed.experiment, source: { kind: 'file', name: file.name }, sentAt: Date.now() });
  });
  document.body.append(input);
  input.click();
}

function fromView(message: ViewMessage): void {
  switch (message.type) {
    case 'ready': {
      // As the extension does: the lens's loop, else (for a page without its own state) the
      // experiment record, else the presets.
      const loop = params.get('loop');
      if (loop) {
        let value: unknown;
        try {
          value = JSON.parse(loop);
        } catch {
          value = undefined;
        }
        const summary = readLoop(value);
        if (summary) return toView({ type: 'show-loop', loop: summary, file: params.get('file') ?? 'file:///workspace/train.py', line: Number(params.get('line') ?? 0), sentAt: Date.now() });
        console.warn('Gradient Lab page: the loop parameter is not a loop summary');
      }
      if (message.restored) return;
      const saved = JSON.parse(sessionStorage.getItem(RECORD_KEY) ?? '{}') as { experiment?: unknown; source?: unknown };
      const parsed = parseExperiment(saved.experiment);
      const source = readSource(saved.source);
      if (parsed.ok && source) return toView({ type: 'show-experiment', experiment: parsed.experiment, source, sentAt: Date.now() });
      return toView({ type: 'show-presets', sentAt: Date.now() });
    }
    case 'report':
      record.reports.push(message.report);
      record.last = message.report;
      sessionStorage.setItem(RECORD_KEY, JSON.stringify({ experiment: message.experiment, source: message.source }));
      return;
    case 'save-experiment': {
      const parsed = parseExperiment(message.experiment);
      if (!parsed.ok) return toView({ type: 'notice', level: 'error', message: parsed.problems.join('; ') });
      download(message.suggestedName, new Blob([serializeExperiment(parsed.experiment)], { type: 'application/json' }));
      return;
    }
    case 'open-experiment':
      return pickFile();
    case 'export-csv':
      return download(message.suggestedName, new Blob([message.csv], { type: 'text/csv' }));
    case 'export-png': {
      const bytes = Uint8Array.from(atob(message.dataUrl.slice(message.dataUrl.indexOf(',') + 1)), (c) => c.charCodeAt(0));
      return download(message.suggestedName, new Blob([bytes], { type: 'image/png' }));
    }
    case 'copy-pytorch':
    case 'export-pytorch':
      return void exportPyTorch(message);
    case 'log':
      if (message.level === 'error') console.error(message.message);
      else if (message.level === 'warn') console.warn(message.message);
      else console.info(message.message);
      return;
  }
}

async function exportPyTorch(message: Extract<ViewMessage, { type: 'copy-pytorch' | 'export-pytorch' }>): Promise<void> {
  const parsed = parseExperiment(message.experiment);
  if (!parsed.ok) return toView({ type: 'notice', level: 'error', message: parsed.problems.join('; ') });
  if (message.type === 'export-pytorch') {
    download(message.suggestedName, new Blob([exportPyTorchScript(parsed.experiment)], { type: 'text/x-python' }));
    return;
  }
  const text = copyAsPyTorch(parsed.experiment);
  record.copied = text;
  try {
    await navigator.clipboard.writeText(text);
    toView({ type: 'notice', level: 'info', message: 'Copied the training loop as PyTorch.' });
  } catch {
    toView({ type: 'notice', level: 'info', message: 'The loop is ready, but this browser did not allow the clipboard.' });
  }
}

window.acquireVsCodeApi = () => ({
  postMessage(value: unknown) {
    const message = readViewMessage(value);
    if (!message) {
      record.ignored++;
      console.warn(`Gradient Lab page: ignored ${describeValue(value)} from the view`);
      return;
    }
    fromView(message);
  },
  getState() {
    const saved = sessionStorage.getItem(STATE_KEY);
    return saved ? (JSON.parse(saved) as unknown) : undefined;
  },
  setState(state: unknown) {
    sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
  },
});
