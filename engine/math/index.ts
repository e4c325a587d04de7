// The engine's own elementary functions. Math.exp, Math.log, Math.sin … are only required to be
// "implementation-approximated": Chromium and Node return different last bits for a few percent
// of inputs, and a Gradient Lab run amplifies one bit into a different table. These are ports of
// fdlibm's algorithms (each under 1 ulp) using only +, −, ×, ÷, Math.sqrt, Math.abs, Math.floor
// and bit access to the float64 (bits.ts), all exact IEEE operations, so every JavaScript engine
// returns the same bits. Use them wherever a result must not depend on the engine.

export { exp } from './exp';
export { expm1 } from './expm1';
export { log } from './log';
export { log1p } from './log1p';
export { sin } from './sin';
export { cos } from './cos';
export { tanh } from './tanh';
export { pow } from './pow';
export { erf, erfc } from './erf';
export { tanhFloat32 } from './tanh-float32';
