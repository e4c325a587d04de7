// The part of Clipwise's engine (engine/index.ts) that the TypeScript copies of
// examples/engine_clip_after_step.ts import as '../engine', declared so the editor's own
// TypeScript checker finds the module and reports nothing of its own (a declaration file is
// not checked by Clipwise).
export declare class Tensor {
  backward(): void;
  item(): number;
}
export declare abstract class Module {
  forward(x: Tensor): Tensor;
  parameters(): Tensor[];
}
export declare class Linear extends Module {
  constructor(inFeatures: number, outFeatures: number);
}
export declare class ReLU extends Module {}
export declare class Sequential extends Module {
  constructor(...layers: Module[]);
}
export declare class SGD {
  constructor(params: Tensor[], options: { lr: number });
  zeroGrad(): void;
  step(): void;
}
export declare function clipGradNorm_(params: Tensor[], maxNorm: number): number;
export declare function mseLoss(input: Tensor, target: Tensor): Tensor;
export declare function randn(shape: number[]): Tensor;
