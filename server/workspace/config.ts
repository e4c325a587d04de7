// `[tool.clipwise]` in pyproject.toml: the same choices as the command-line flags, found by
// walking up from the first path checked.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'smol-toml';
import type { RuleCode } from '../../analysis/api';
import { RULE_CODES } from '../../analysis/rules/catalogue';

export interface ProjectConfig {
  select?: RuleCode[];
  ignore?: RuleCode[];
  /** Patterns (gitignore syntax) a folder walk leaves out instead of the default excludes. */
  exclude?: string[];
  /** Patterns a folder walk leaves out besides the default excludes. */
  extendExclude?: string[];
  /** The pyproject.toml it came from. */
  path?: string;
}

export function findConfig(start: string): ProjectConfig {
  let dir = resolve(start);
  if (existsSync(dir) && !isDirectory(dir)) dir = dirname(dir);
  for (;;) {
    const candidate = join(dir, 'pyproject.toml');
    if (existsSync(candidate)) {
      const config = readConfig(candidate);
      if (config) return config;
    }
    const parent = dirname(dir);
    if (parent === dir) return {};
    dir = parent;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The `[tool.clipwise]` table of a pyproject.toml; undefined when it has none. Throws on bad values. */
export function readConfig(path: string): ProjectConfig | undefined {
  let table: unknown;
  try {
    table = (parse(readFileSync(path, 'utf8')) as { tool?: { clipwise?: unknown } }).tool?.clipwise;
  } catch (error) {
    throw new Error(`${path}: not valid TOML (${(error as Error).message.split('\n')[0]})`);
  }
  if (table === undefined) return undefined;
  if (typeof table !== 'object' || table === null) throw new Error(`${path}: [tool.clipwise] must be a table`);
  const t = table as Record<string, unknown>;
  return { select: codes(t.select, path, 'select'), ignore: codes(t.ignore, path, 'ignore'), exclude: strings(t.exclude, path, 'exclude'), extendExclude: strings(t['extend-exclude'], path, 'extend-exclude'), path };
}

export function parseCodes(list: string, where: string): RuleCode[] {
  return codes(list.split(',').map((s) => s.trim()).filter(Boolean), where, 'codes')!;
}

function codes(value: unknown, path: string, key: string): RuleCode[] | undefined {
  const list = strings(value, path, key);
  if (!list) return undefined;
  const out: RuleCode[] = [];
  for (const item of list) {
    const upper = item.toUpperCase();
    // A prefix selects a family: "CLP" or "CLP00" (as ruff does).
    const matching = RULE_CODES.filter((code) => code === upper || (upper.length < 6 && code.startsWith(upper)));
    if (!matching.length) throw new Error(`${path}: unknown rule code "${item}" in ${key} (known: ${RULE_CODES.join(', ')})`);
    out.push(...matching);
  }
  return out;
}

function strings(value: unknown, path: string, key: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`${path}: ${key} must be a list of strings`);
  return value;
}
