// Settings pulled per resource through workspace/configuration (as vscode-eslint does), cached
// until the client says they changed. Anything malformed falls back to the default, so a typo in
// settings.json never stops the server.
import type { Connection } from 'vscode-languageserver';
import type { RuleCode, Severity } from '../../analysis/api';
import type { AnalyzerOptions } from '../../analysis/analyzer';
import { RULE_CODES } from '../../analysis/rules/catalogue';
import { DEFAULT_SETTINGS, type ClipwiseSettings, type RuleSetting } from '../protocol';

const RULE_SETTINGS = new Set<RuleSetting>(['off', 'info', 'warning', 'error']);

export function normalizeSettings(raw: unknown): ClipwiseSettings {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const rules: Record<string, RuleSetting> = {};
  if (value.rules && typeof value.rules === 'object') {
    for (const [code, setting] of Object.entries(value.rules as Record<string, unknown>)) {
      const upper = code.toUpperCase();
      if (RULE_CODES.includes(upper as RuleCode) && RULE_SETTINGS.has(setting as RuleSetting)) rules[upper] = setting as RuleSetting;
    }
  }
  const languages = Array.isArray(value.languages) && value.languages.every((l) => typeof l === 'string') ? (value.languages as string[]) : DEFAULT_SETTINGS.languages;
  return {
    enable: typeof value.enable === 'boolean' ? value.enable : DEFAULT_SETTINGS.enable,
    run: value.run === 'onSave' ? 'onSave' : 'onType',
    rules,
    languages,
    notebooks: typeof value.notebooks === 'boolean' ? value.notebooks : DEFAULT_SETTINGS.notebooks,
  };
}

/** What the analyzer takes from the settings: per-rule severity or off. */
export function analyzerOptions(settings: ClipwiseSettings): AnalyzerOptions {
  return { severities: settings.rules as Partial<Record<RuleCode, Severity | 'off'>> };
}

export class SettingsCache {
  private readonly byResource = new Map<string, Promise<ClipwiseSettings>>();
  /** Used when the client cannot answer workspace/configuration: what it pushed or sent at start. */
  private pushed: ClipwiseSettings;

  constructor(
    private readonly connection: Connection,
    private readonly pull: boolean,
    initial: unknown,
  ) {
    this.pushed = normalizeSettings(initial);
  }

  get(resource: string): Promise<ClipwiseSettings> {
    if (!this.pull) return Promise.resolve(this.pushed);
    let settings = this.byResource.get(resource);
    if (!settings) {
      settings = this.connection.workspace
        .getConfiguration({ scopeUri: resource, section: 'clipwise' })
        .then(normalizeSettings, (error: unknown) => {
          this.connection.console.warn(`settings for ${resource} could not be read (${String(error)}); using defaults`);
          this.byResource.delete(resource);
          return this.pushed;
        });
      this.byResource.set(resource, settings);
    }
    return settings;
  }

  /** didChangeConfiguration: forget what was pulled; keep what a push-only client sent. */
  changed(pushedSettings: unknown): void {
    this.byResource.clear();
    const section = (pushedSettings as { clipwise?: unknown } | null)?.clipwise;
    if (section !== undefined) this.pushed = normalizeSettings(section);
  }

  forget(resource: string): void {
    this.byResource.delete(resource);
  }
}
