// What leaves the Gradient Lab through the extension host: experiment files (saved and opened,
// always through parseExperiment), CSV and PNG exports, the PyTorch script and "Copy as PyTorch".
// The view only asks; dialogs, files and the clipboard are the host's.
import * as vscode from 'vscode';
import { parseExperiment, serializeExperiment, type Experiment } from '../webview/lab/experiment';
import { copyAsPyTorch, exportPyTorchScript } from '../webview/lab/export-pytorch';

/** Experiment files larger than this are refused before they are read (a real one is a few KB). */
const MAX_EXPERIMENT_BYTES = 5 * 1024 * 1024;

export type Opened = { experiment: Experiment; name: string } | { problem: string } | undefined;

function defaultUri(name: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, name) : undefined;
}

async function saveAs(name: string, filters: Record<string, string[]>, bytes: Uint8Array): Promise<vscode.Uri | undefined> {
  const target = await vscode.window.showSaveDialog({ defaultUri: defaultUri(name), filters, saveLabel: 'Save' });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, bytes);
  return target;
}

const text = (value: string) => new TextEncoder().encode(value);

/** Validates what the view sent: a view can only ever ask for a valid experiment to be written. */
export function checked(value: unknown): { experiment: Experiment } | { problem: string } {
  const parsed = parseExperiment(value);
  return parsed.ok ? { experiment: parsed.experiment } : { problem: `not a valid experiment: ${parsed.problems.join('; ')}` };
}

export async function saveExperiment(experiment: Experiment, name: string): Promise<vscode.Uri | undefined> {
  return saveAs(name, { 'Gradient Lab experiment': ['json'] }, text(serializeExperiment(experiment)));
}

export async function openExperiment(): Promise<Opened> {
  const [file] = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Gradient Lab experiment': ['json'] }, openLabel: 'Open experiment' })) ?? [];
  if (!file) return undefined;
  const name = file.path.slice(file.path.lastIndexOf('/') + 1);
  try {
    const stat = await vscode.workspace.fs.stat(file);
    if (stat.size > MAX_EXPERIMENT_BYTES) return { problem: `${name} is ${stat.size} bytes; an experiment file is at most ${MAX_EXPERIMENT_BYTES} bytes` };
    const content = new TextDecoder('utf-8', { fatal: true }).decode(await vscode.workspace.fs.readFile(file));
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      return { problem: `${name} is not JSON: ${(error as Error).message}` };
    }
    const parsed = parseExperiment(value);
    return parsed.ok ? { experiment: parsed.experiment, name } : { problem: `${name} is not a Gradient Lab experiment: ${parsed.problems.join('; ')}` };
  } catch (error) {
    return { problem: `${name} could not be read: ${(error as Error).message}` };
  }
}

export function exportCsv(csv: string, name: string): Promise<vscode.Uri | undefined> {
  return saveAs(name, { CSV: ['csv'] }, text(csv));
}

export function exportPng(dataUrl: string, name: string): Promise<vscode.Uri | undefined> {
  const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  return saveAs(name, { 'PNG image': ['png'] }, Uint8Array.from(Buffer.from(base64, 'base64')));
}

export function exportScript(experiment: Experiment, name: string): Promise<vscode.Uri | undefined> {
  return saveAs(name, { Python: ['py'] }, text(exportPyTorchScript(experiment)));
}

export async function copyLoop(experiment: Experiment): Promise<void> {
  await vscode.env.clipboard.writeText(copyAsPyTorch(experiment));
}
