// Small readers for untrusted values (messages between the view, its worker and the extension):
// each says whether a value has the expected shape without trusting anything about it.

export type Fields = Record<string, unknown>;

export function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isWholeNumber(value: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

export function isString(value: unknown, maxLength = 10_000): value is string {
  return typeof value === 'string' && value.length <= maxLength;
}

export function isOneOf<T extends string>(value: unknown, options: readonly T[]): value is T {
  return typeof value === 'string' && (options as readonly string[]).includes(value);
}

export function optional<T>(value: unknown, check: (v: unknown) => v is T): value is T | undefined {
  return value === undefined || check(value);
}

/** A short, safe description of a value for a log line (never the whole value). */
export function describeValue(value: unknown): string {
  if (isObject(value)) return isString(value.type, 40) ? `message of type "${value.type}"` : 'an object without a known type';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
