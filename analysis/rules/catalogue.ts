// Every rule, in code order: the one list. Adding a rule means adding its file and one line here;
// everything else comes from this list: the `RuleCode` type, `clipwise rules`, SARIF's rule
// table, the per-rule settings in package.json (scripts/rule-settings.mjs writes them at build
// time), and the page each rule must have in docs/rules/<code>.md.
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

/** Each rule under its code (a test checks that the key is the rule's own `code`). */
export const RULES_BY_CODE = {
  CLP001: clipBeforeBackward,
  CLP002: clipAfterStep,
  CLP003: clipScaledGradients,
  CLP004: clipEveryMicrobatch,
  CLP005: zeroGradBeforeStep,
  CLP006: deprecatedClipApi,
  CLP007: badClipThreshold,
  CLP008: noSuchClipApi,
  CLP009: clipWrongArguments,
  CLP010: clipInTrainingStep,
  CLP011: frameworkClipApi,
} as const satisfies Record<string, Rule>;

/** A rule's code, e.g. 'CLP002': exactly the codes listed above. */
export type RuleCode = keyof typeof RULES_BY_CODE;

export const RULES: readonly Rule[] = Object.values(RULES_BY_CODE);

export const RULE_CODES: readonly RuleCode[] = RULES.map((r) => r.code);

export function ruleByCode(code: string): Rule | undefined {
  const upper = code.toUpperCase();
  return RULES.find((r) => r.code === upper || r.name === code.toLowerCase());
}
