// Condition keys that say more than "the same test": `x == 'a'` and `x == 'b'` cannot both hold,
// and `x is None` is `x == None`. Front ends write an equality of an operand with a literal as one
// key per literal, in this shape, so that path searches can tell exclusive tests apart.

const MARK = '\u0001eq\u0001';

/** The key of `operand == literal` (`!=`, `is not` are this key with the other polarity). */
export function equalityKey(operand: string, literal: string): string {
  return `${MARK}${operand}\u0001${literal}`;
}

/** Operand and literal of an equality key, or undefined for any other key. */
export function parseEquality(key: string): { operand: string; literal: string } | undefined {
  if (!key.startsWith(MARK)) return undefined;
  const rest = key.slice(MARK.length);
  const split = rest.lastIndexOf('\u0001');
  return split < 0 ? undefined : { operand: rest.slice(0, split), literal: rest.slice(split + 1) };
}

/** Two condition outcomes that no run can have together. */
export function contradicts(keyA: string, polarityA: boolean, keyB: string, polarityB: boolean): boolean {
  if (keyA === keyB) return polarityA !== polarityB;
  if (!polarityA || !polarityB) return false;
  const a = parseEquality(keyA);
  if (!a) return false;
  const b = parseEquality(keyB);
  return !!b && a.operand === b.operand && a.literal !== b.literal;
}

/** What conditions with this key are tested against: the key itself, or an equality's operand. */
export function conditionGroup(key: string): string {
  const equality = parseEquality(key);
  return equality ? MARK + equality.operand : key;
}

/** The key of "this loop over `iterable` runs zero times" (the iterable's normalised text): two loops over one iterable agree on it. */
export function emptinessKey(iterable: string): string {
  return `<empty>${iterable}`;
}

/** `P > 1`, `P != 1`, `P == 1`, `P <= 1`, `P >= 2`, `P < 2` (either way round), for a plain name or attribute path P. */
const COMPARED_WITH_ONE = [
  /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?:>|!=|!==|==|===|<=)1$/,
  /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?:>=|<)2$/,
  /^1(?:<|!=|!==|==|===|>=)([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)$/,
  /^2(?:<=|>)([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)$/,
];

/**
 * A test of whether gradient accumulation is on at all (`config.ACCUMULATION_STEPS > 1`,
 * `grad_accum != 1`): a setting compared with 1 is the same on every pass, so it ends no
 * accumulation window, however its name reads. Takes a condition's text (whitespace is ignored)
 * or an equality key (`P == 1`).
 */
export function testsAccumulationIsOn(condition: string): boolean {
  const equality = parseEquality(condition);
  const text = equality ? (equality.literal === '1' ? `${equality.operand}==1` : '') : condition.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');
  for (const form of COMPARED_WITH_ONE) {
    const operand = form.exec(text)?.[1];
    if (operand) return /accum/i.test(operand);
  }
  return false;
}
