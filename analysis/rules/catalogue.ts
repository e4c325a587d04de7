// Every rule, in code order. Adding a rule means adding its file and one line here.
import type { RuleCode } from '../api';
import type { Rule } from './rule';
import { clipBeforeBackward } from './clp001-clip-before-backward';
import { clipAfterStep } from './clp002-clip-after-step';
import { clipScaledGradients } from './clp003-clip-scaled-gradients';
import { clipEveryMicrobatch } from './clp004-clip-every-microbatch';
import { zeroGradBeforeStep } from './clp005-zero-grad-before-step';
import { deprecatedClipApi } from './clp006-deprecated-clip-api';
import { badClipThreshold } from './clp007-bad-clip-threshold';
import { noSuchClipApi } from './clp008-no-such-clip-api';
import { clipWrongArguments } from './clp009-clip-wrong-arguments';
import { clipInTrainingStep } from './clp010-clip-in-training-step';
import { frameworkClipApi } from './clp011-framework-clip-api';

export const RULES: readonly Rule[] = [
  clipBeforeBackward,
  clipAfterStep,
  clipScaledGradients,
  clipEveryMicrobatch,
  zeroGradBeforeStep,
  deprecatedClipApi,
  badClipThreshold,
  noSuchClipApi,
  clipWrongArguments,
  clipInTrainingStep,
  frameworkClipApi,
];

export const RULE_CODES: readonly RuleCode[] = RULES.map((r) => r.code);

export function ruleByCode(code: string): Rule | undefined {
  const upper = code.toUpperCase();
  return RULES.find((r) => r.code === upper || r.name === code.toLowerCase());
}
