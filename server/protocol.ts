// What the client and the server say to each other beyond plain LSP: command names, the status
// notification behind the language status item, and the arguments of "Show in Gradient Lab".
// Types and constants only, so the extension can import it without pulling in server code.

export const Commands = {
  /** Applies every safe fix in the active file (the client asks for `source.fixAll.clipwise`). */
  fixAll: 'clipwise.fixAll',
  showOutput: 'clipwise.showOutput',
  restartServer: 'clipwise.restartServer',
  showInLab: 'clipwise.showInLab',
  /** Executed by the server (workspace/executeCommand): checks every training script on disk. */
  checkWorkspace: 'clipwise.checkWorkspace',
} as const;

/** The code action kind of "fix all" (a sub-kind of `source.fixAll`, so codeActionsOnSave finds it). */
export const FIX_ALL_KIND = 'source.fixAll.clipwise';

export const SOURCE = 'clipwise';

/** Server → client notification with what the language status item shows. */
export const STATUS_NOTIFICATION = 'clipwise/status';

export interface StatusParams {
  /** The server process, so a restart can be told apart from a quiet period. */
  pid: number;
  /** Wall-clock time of the latest analysis of an open document, in ms. */
  lastAnalysisMs?: number;
  /** The document that analysis was for. */
  lastUri?: string;
  /** Distinct documents analysed since the server started. */
  filesAnalysed: number;
  /** The server's own failures (a handler that threw) since it started; files it declined are not errors. */
  errors: number;
  /** The latest failure, for the status item's detail. */
  lastError?: string;
  /** Each open document's state, by URI (a notebook's cells each). */
  documents: Record<string, DocumentState>;
  /** Totals of the latest "Check Workspace". */
  workspace?: { files: number; findings: number; notChecked: number };
  /** Set while "Check Workspace" runs. */
  checkingWorkspace?: boolean;
}

/** An open document: checked (findings, time, any part not checked), or not checked and why. */
export type DocumentState = { checked: true; findings: number; ms: number; partlyNotChecked?: string } | { checked: false; reason: string };

/** Client → server request: the explanation shown in a hover, as Markdown, for a place in a file. */
export const EXPLAIN_REQUEST = 'clipwise/explain';

export interface ExplainParams {
  uri: string;
  position: { line: number; character: number };
  /** Explain this rule when nothing at the position does. */
  code?: string;
}

/** A training call in one pass of a loop, as the Lab replays it. */
export type LoopCallName = 'zero_grad' | 'backward' | 'unscale' | 'clip' | 'step';

export interface LoopCall {
  call: LoopCallName;
  /** Runs only when an accumulation window ends (inside `if (i + 1) % k == 0:`, `if accelerator.sync_gradients:` …). */
  windowEnd?: boolean;
}

/** The loop around a lens, as the Lab's "this loop" experiment reads it (`webview/lab/this-loop.ts` mirrors it). */
export interface LoopSummary {
  /** One pass of the loop (one micro-batch under accumulation) as the code runs it, from the step model. */
  order: LoopCall[];
  /** The same pass with this loop's ordering findings (CLP001–CLP005) fixed. */
  fixedOrder: LoopCall[];
  /** Ordering findings in this loop, e.g. ['CLP002']. */
  codes: string[];
  clip?: { kind: 'norm' | 'value'; threshold?: number; thresholdText?: string; normType?: number | 'inf' };
  learningRate?: number;
  learningRateText?: string;
  /** The optimizer as written (`optimizer`, `self.opt`) and its kind when the code constructs it. */
  optimizer?: string;
  optimizerKind?: 'sgd' | 'adam' | 'adamw' | 'rmsprop';
  momentum?: number;
  /** Micro-batches per step when the code states it (`% 4`, `gradient_accumulation_steps=4`, an argparse default). */
  accumulation?: number;
  /** Present when the loop scales its loss with a GradScaler. */
  scaler?: { initScale?: number };
}

/** Arguments of `clipwise.showInLab`, sent with each code lens. */
export interface ShowInLabArgs {
  uri: string;
  position: { line: number; character: number };
  /** The rule when the lens sits over a finding. */
  code?: string;
  docUrl?: string;
  loop?: LoopSummary;
}

/** The settings under `clipwise.*`, as the client contributes them. */
export type RuleSetting = 'off' | 'info' | 'warning' | 'error';

export interface ClipwiseSettings {
  enable: boolean;
  run: 'onType' | 'onSave';
  rules: Record<string, RuleSetting>;
  languages: string[];
  notebooks: boolean;
}

export const DEFAULT_SETTINGS: ClipwiseSettings = {
  enable: true,
  run: 'onType',
  rules: {},
  languages: ['python', 'typescript', 'javascript'],
  notebooks: true,
};
