// The analysis library's public surface.
export * from './api';
export { Analyzer, analyzeText, type AnalyzerOptions } from './analyzer';
export { applyEdits } from './edits';
export { suppressionEdit } from './suppression';
export { RULES, RULE_CODES, ruleByCode } from './rules/catalogue';
export { analyzeNotebook, type NotebookCell, type NotebookFinding } from './notebook';
export { LineMap } from './text';
