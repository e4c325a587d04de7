// What each Python clip API is, as facts on the clip (library, own name, norm or value, whether
// its threshold means what torch's does, deprecated or nonexistent and what to call instead):
// rules read these and never the qualified name, which stays for messages.
import type { ClipApi, ClipDetails, ClipLibrary, DeprecatedClip, MissingClip } from '../model/events';

/** torch's clip utilities (`torch.nn.utils` and its `clip_grad` module) by name, with what they clip by. */
export const TORCH_CLIPS: Record<string, ClipDetails['kind']> = {
  clip_grad_norm_: 'norm',
  clip_grad_norm: 'norm',
  clip_grad_value_: 'value',
  clip_grads_with_norm_: 'with-norm',
};

/** The real clip, as messages suggest it. */
export const TORCH_CLIP_NORM = 'torch.nn.utils.clip_grad_norm_';

/**
 * Whether a threshold means what torch's clip makes of it: torch's utilities, and Accelerate and
 * Fabric, which pass it on to them. Lightning's `clip_gradients` and other libraries' methods
 * (fairseq's `clip_grad_norm(0)` computes the norm without clipping) treat a value ≤ 0 as "do not clip".
 */
function thresholdMeaningKnown(resolved: string): boolean {
  return resolved.startsWith('torch.nn.utils.') || resolved.startsWith('accelerate.') || resolved.startsWith('lightning.Fabric.');
}

function lastName(resolved: string): string {
  return resolved.slice(resolved.lastIndexOf('.') + 1);
}

/** The facts of a clip resolved to `resolved` (a qualified name, or a method on some receiver). */
export function clipApi(library: ClipLibrary, resolved: string, by: ClipApi['by']): ClipApi {
  const name = lastName(resolved);
  return { library, name, by, thresholdMeaningKnown: thresholdMeaningKnown(resolved) };
}

/** One of torch's clip utilities (`torch.nn.utils.<name>`). */
export function torchUtilityApi(name: string, kind: ClipDetails['kind']): ClipApi {
  const api = clipApi('torch', `torch.nn.utils.${name}`, kind === 'value' ? 'value' : 'norm');
  // The plain clips (not the deprecated spelling, not the clip with a norm already computed).
  if (name === 'clip_grad_norm_' || name === 'clip_grad_value_') api.plainUtility = true;
  return api;
}

/** `torch.nn.utils.clip_grad_norm`: deprecated since PyTorch 0.4 for `clip_grad_norm_`. */
export function deprecatedTorchClip(name: string): DeprecatedClip | undefined {
  if (name !== 'clip_grad_norm') return undefined;
  return { current: 'clip_grad_norm_', note: 'same arguments, same result; the trailing underscore marks it as in-place' };
}

/** A torch name that is no clip function: the `clip_grad` module called, or a clip-like name its namespace lacks. */
export function missingTorchFunction(qualified: string): MissingClip {
  if (qualified === 'torch.nn.utils.clip_grad') return { why: 'module', raises: 'TypeError', use: [`${TORCH_CLIP_NORM}(parameters, max_norm)`] };
  return { why: 'no-function', raises: 'AttributeError', use: [`${TORCH_CLIP_NORM}(parameters, max_norm)`, 'clip_grad_value_'] };
}

/** `optimizer.clip_grad_norm_(…)` on a torch.optim optimizer: no such method. */
export function missingOptimizerMethod(): MissingClip {
  return { why: 'no-method', owner: 'torch.optim optimizers', raises: 'AttributeError', use: [`${TORCH_CLIP_NORM}(model.parameters(), max_norm)`] };
}
