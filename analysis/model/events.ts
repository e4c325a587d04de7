// The step model's vocabulary: what a training loop does to gradients, independent of the
// language it is written in. Front ends produce these; rules read only these.
import type { Range, TextEdit } from '../api';

/** Condition key for "this pass ends an accumulation window" (Accelerate's `sync_gradients`). */
export const SYNC_KEY = '<sync_gradients>';

export type EventKind = 'backward' | 'step' | 'zero' | 'unscale' | 'clip';

/** Where a call sits: the call itself and the whole statement holding it (absolute positions). */
export interface Site {
  /** The module the call is written in, when it is not the file analysed (a helper of another file). */
  file?: string;
  range: Range;
  statementRange: Range;
  /**
   * What moves when this statement moves: the statement, or an `if` with no `else` (a loop, a
   * `with`) that holds only it (`if grad_clip: clip(...)`, `for group in opt.param_groups:
   * clip(group["params"], …)`). `soleInBlock`: removing it would leave a block empty.
   * `container`: the compound statement around it; a move may not take it out of that (its
   * loop variable, its branch or its context would be lost).
   */
  movable: { range: Range; soleInBlock: boolean; container?: Range };
  /** The function body (or module code) the statement is written in. */
  body: string;
  /** The loops around the statement in that body, outermost first. */
  loops: Range[];
}

/** A condition enclosing an event, innermost last. */
export interface Guard {
  /** Normalised condition text: two ifs with the same key take the same branch within one pass. */
  key: string;
  /** True inside the `if` body, false inside its `else`. */
  polarity: boolean;
  /** The condition counts micro-batches (`% k`, `sync_gradients`, `is_accumulating`, `accum…`). */
  accumulation: boolean;
}

/** A threshold argument of a clip call as written. */
export interface ThresholdArgument {
  parameter: 'max_norm' | 'clip_value' | 'norm_type';
  text: string;
  range: Range;
  /** Its value where it is a literal (`1.0`, `-1`, `float('inf')`, `math.inf`). */
  value?: number;
  /** norm_type only: a value `float()` cannot read (`'fro'`, `None`). */
  invalid?: boolean;
}

/** The parameters argument of a clip call and what it is bound to. */
export interface ParametersArgument {
  range: Range;
  text: string;
  /** A module where parameters belong, a one-shot iterable already used up, or anything else. */
  kind: 'module' | 'one-shot' | 'other';
  oneShot?: {
    /** The assignment's value that creates the iterable, and an edit making it a list. */
    bindingRange: Range;
    bindingText: string;
    makeList: TextEdit[];
    /** Identity of the iterable (its creation): what the graph's uses of it are keyed by. */
    key: string;
    /**
     * What uses it up before the clip, where that is known outside this unit's graph: an optimizer
     * built from it elsewhere, or the clip of an earlier call (the iterable lives on `self` and is
     * made in another method). Otherwise the rule finds it on the graph's paths.
     */
    consumer?: 'optimizer' | 'every-call';
    consumerRange?: Range;
    /** The method that creates it (for `every-call`). */
    createdIn?: string;
  };
  /** The model is wrapped in FSDP1 (`FullyShardedDataParallel`): its name. */
  fsdpModel?: string;
}

/**
 * Whose clip a call is: torch's utilities (`torch.nn.utils`, and `torch.optim` for a method its
 * optimizers lack), Accelerate's `Accelerator`, Lightning's `Fabric` or `LightningModule`, timm's
 * dispatchers, a method of some other object that clips its own gradients (an FSDP1 module,
 * fairseq's optimizer, a DeepSpeed engine), our engine, a PyTorch-like JS library, TensorFlow.js.
 */
export type ClipLibrary = 'torch' | 'accelerate' | 'fabric' | 'lightning' | 'timm' | 'object-method' | 'engine' | 'js-pytorch' | 'tfjs';

/** What a clip call is, as its front end knows it: the facts rules read (never `resolved`). */
export interface ClipApi {
  library: ClipLibrary;
  /** The function's own name as the library spells it (`clip_grad_norm_`, `clipGradNorm_`), for messages. */
  name: string;
  /** What it clips by: the total norm of the gradients, or each value. */
  by: 'norm' | 'value';
  /**
   * Its threshold means what torch's clip makes of it (≤ 0 zeroes or flips every gradient): torch's
   * utilities, and Accelerate and Fabric, which pass it on to them. Elsewhere a value ≤ 0 may mean
   * "do not clip" (Lightning's `clip_gradients`, fairseq's `clip_grad_norm(0)` only measures).
   */
  thresholdMeaningKnown: boolean;
  /** The library's own plain clip utility (torch's `clip_grad_norm_`/`clip_grad_value_`), not a framework's wrapper of it. */
  plainUtility?: boolean;
}

/** A call to a clip API that does not exist, and what to call instead. */
export interface MissingClip {
  /** A method its receiver's class lacks, a module called as a function, or a function its module lacks. */
  why: 'no-method' | 'module' | 'no-function';
  /** Whose objects lack the method (`torch.optim optimizers`), for `no-method`. */
  owner?: string;
  /** What the call raises when it runs. */
  raises: string;
  /** The real calls to use instead, as a message shows them, first the main one. */
  use: string[];
  /** Edits replacing the call with the real API (`api`), when its arguments are known. */
  replacement?: { api: string; edits: TextEdit[] };
}

/** A deprecated spelling of a clip API that still works. */
export interface DeprecatedClip {
  /** The current name of the same function. */
  current: string;
  /** How the two differ, for the message. */
  note: string;
  /** Edits renaming the call to the current name. */
  rename?: TextEdit[];
}

export interface ClipDetails {
  /** The callee as written. */
  callee: string;
  calleeRange: Range;
  /** The function it resolved to, e.g. "torch.nn.utils.clip_grad_norm_", or a framework method: for messages only. */
  resolved: string;
  /** `missing`: a call to a clip API that does not exist (it only crashes). */
  kind: 'norm' | 'value' | 'with-norm' | 'framework' | 'missing';
  api: ClipApi;
  /** With `kind: 'missing'`: why it does not exist and what to call instead. */
  missing?: MissingClip;
  /** A deprecated spelling (`clip_grad_norm`). */
  deprecated?: DeprecatedClip;
  maxNorm?: number;
  clipValue?: number;
  normType?: number;
  /** max_norm is infinite: the call only measures the norm. */
  measuresOnly: boolean;
  thresholds: ThresholdArgument[];
  parameters?: ParametersArgument;
  /**
   * `clip_grad_value_(…, max_norm=…)` or `clip_grad_norm_(…, clip_value=…)`: the keyword, the
   * function it belongs to (`intended`), and the called function's own keyword for that value.
   */
  misusedKeyword?: { keyword: string; range: Range; rename?: TextEdit[]; intended: string; ownKeyword: string };
}

/**
 * A one-shot iterable (a generator, `filter(…)`, `model.parameters()` held in a variable) created
 * or iterated at a point of the graph: using one up is a path property, like clearing gradients.
 */
export interface IterableUse {
  /** The iterable's identity (the same for every alias of it). */
  key: string;
  /** `create`: made afresh here; `consume`: iterated here (by an optimizer, `list(…)`, a loop, a clip). */
  kind: 'create' | 'consume';
  by?: 'optimizer' | 'earlier-use' | 'clip';
  range: Range;
  guards: Guard[];
}

export interface StepEvent {
  kind: EventKind;
  site: Site;
  /** Helper calls through which this event was inlined, outermost first. Empty when written in the unit. */
  via: Site[];
  /** Identity of the call in the source, shared by every inlined copy of it. */
  origin: string;
  guards: Guard[];
  /** Backward through a GradScaler (`scaler.scale(loss).backward()`). */
  scaled?: boolean;
  /** Backward through Accelerate's `accelerator.backward(loss)`: the receiver's text. */
  accelerator?: string;
  /** The scaler's text, for backward (scaled), step via scaler, unscale. */
  scaler?: string;
  /** The optimizer's text, for step, unscale and optimizer zero_grad. */
  optimizer?: string;
  /** Inlined from the `step` or `zero_grad` of this optimizer (a class of the project): its own gradients. */
  within?: string;
  /** A step that computes its own gradients first (`optimizer.step(closure)`): nothing can go between. */
  computesGradients?: boolean;
  clip?: ClipDetails;
  /** Where gradients are values rather than state (TensorFlow.js): which values this event makes, reads or applies. */
  gradients?: GradientFlow;
}

/**
 * Gradients as values: `tf.variableGrads(f)` returns a map, a clip returns a clipped copy, and
 * `optimizer.applyGradients(map)` applies whichever map it is given. Values are identified by the
 * call that made them (ids the front end chooses). An event without this works on gradient state.
 */
export interface GradientFlow {
  /** backward: the value it computes; clip: the clipped value it returns. */
  makes?: string;
  /** clip: the values it clips. */
  reads?: string[];
  /** step: the values its argument may carry; undefined when they are not known (it may apply any). */
  applies?: string[];
  /** step: the argument as written (what a fix replaces). */
  argument?: { range: Range; text: string };
  /** step: names of gradient maps a fix may pass instead (declared once, constant, in scope at the argument). */
  inScope?: string[];
  /** clip: the clipped value goes back into the map it reads (`grads[k] = clip(grads[k])`), so a step applying that map applies it. */
  inPlace?: boolean;
  /** clip: the name that holds the clipped value. */
  holder?: string;
  /** clip: `holder` always holds the clipped value where it is in scope (a constant initialized by the clip). */
  definite?: boolean;
  /** clip: `holder` is a name given the clipped value in place of what it held (`g = clip(g)`): the map it was read from is unchanged. */
  rebound?: boolean;
  /** clip: constant gradient maps of the unit that hold the clipped value after it, besides `holder` (`clipped = tf.tidy(() => { …; return out; })`). */
  carriers?: string[];
  /** clip: the clipped value is used by something other than a step (passed on, returned, logged): it is not unused. */
  escapes?: boolean;
  /** clip: gradients are clipped per example and noised (differential privacy): clipping each one before summing is the algorithm. */
  perExample?: boolean;
}

export function isInlined(event: StepEvent): boolean {
  return event.via.length > 0;
}

/** Where a finding about this event is reported: the outermost helper call, or the event itself. */
export function reportSite(event: StepEvent): Site {
  return event.via.length ? event.via[0] : event.site;
}
