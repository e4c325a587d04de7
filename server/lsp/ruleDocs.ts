// The rule pages from docs/rules, bundled (the bundler includes every page matching the
// pattern), so explanations work offline and in untrusted or virtual workspaces.
export async function ruleDocumentation(code: string): Promise<string | undefined> {
  if (!/^CLP\d{3}$/.test(code)) return undefined;
  try {
    const page = (await import(`../../docs/rules/${code}.md`)) as { default?: unknown };
    const text = typeof page.default === 'string' ? page.default : undefined;
    // Pages still being written say so in their title; the summary stands in for them.
    return text && !/\(placeholder\)/i.test(text.split('\n', 1)[0]) ? text : undefined;
  } catch {
    return undefined;
  }
}
