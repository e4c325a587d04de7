// The one loader of rule pages (docs/rules/<code>.md), for the CLI (`clipwise rule CLP002`) and
// the language server (hovers, the Lab's explanations). The bundler includes every page matching
// the pattern as text, so the pages work offline, from dist/ and from the packaged .vsix, in
// untrusted and virtual workspaces. Which pages must exist follows from the rule list.
import { ruleByCode } from '../analysis/rules/catalogue';

/** The page for a rule (by code or name), or undefined when there is none or it is a placeholder. */
export async function ruleDocumentation(codeOrName: string): Promise<string | undefined> {
  const rule = ruleByCode(codeOrName);
  if (!rule) return undefined;
  try {
    const page = (await import(`../docs/rules/${rule.code}.md`)) as { default?: unknown };
    const text = typeof page.default === 'string' ? page.default : undefined;
    // Pages still being written say so in their title; the summary stands in for them.
    return text && !/\(placeholder\)/i.test(text.split('\n', 1)[0]) ? text : undefined;
  } catch {
    return undefined;
  }
}
