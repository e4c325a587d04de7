// What a TypeScript/JavaScript clip call is, as facts on the clip: whose library (our engine, a
// PyTorch-like JS library, TensorFlow.js), the function's own name, norm or value. Rules read these.
import type { ClipApi, ClipLibrary } from '../model/events';

/** The library of a clip imported from `module`: our engine (`clipwise/engine`, a path to `engine`), TensorFlow.js, or a PyTorch-like JS library. */
export function clipLibrary(module: string): ClipLibrary {
  if (module === 'clipwise/engine' || /(^|\/)engine(\/index)?(\.[cm]?[jt]s)?$/.test(module)) return 'engine';
  if (/^@tensorflow\/tfjs/.test(module)) return 'tfjs';
  return 'js-pytorch';
}

/**
 * The facts of a clip the vocabulary resolved to `module:callee`. Our engine's `clipGradNorm_`
 * computes what torch's does (a max_norm of 0 zeroes every gradient, a negative one flips them),
 * so its threshold means what torch's means; what other libraries make of a threshold ≤ 0, or the
 * engine's value clip of a negative bound, is not established.
 */
export function clipApi(resolved: string, by: ClipApi['by']): ClipApi {
  const split = resolved.lastIndexOf(':');
  const module = split < 0 ? '' : resolved.slice(0, split);
  const callee = resolved.slice(split + 1).replace(/\s+/g, '');
  const library = clipLibrary(module);
  return { library, name: callee.slice(callee.lastIndexOf('.') + 1), by, thresholdMeaningKnown: library === 'engine' && by === 'norm' };
}
