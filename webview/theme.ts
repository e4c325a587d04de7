// The colours the charts draw with, read from VS Code's theme variables (canvas cannot use CSS
// variables directly), and a watch on the body's theme class so a theme change redraws them.

export interface Theme {
  kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
  foreground: string;
  background: string;
  grid: string;
  threshold: string;
  danger: string;
  fontFamily: string;
  runs: { a: string; b: string };
  /** Colours for per-layer series. */
  palette: string[];
}

function variable(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

export function themeKind(body: HTMLElement = document.body): Theme['kind'] {
  const classes = body.classList;
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  if (classes.contains('vscode-light')) return 'light';
  return 'dark';
}

export function readTheme(): Theme {
  const style = getComputedStyle(document.body);
  const kind = themeKind();
  const light = kind === 'light' || kind === 'high-contrast-light';
  const v = (name: string, fallback: string) => variable(style, name, fallback);
  const foreground = v('--vscode-charts-foreground', v('--vscode-foreground', light ? '#3b3b3b' : '#cccccc'));
  const blue = v('--vscode-charts-blue', light ? '#1a85ff' : '#3794ff');
  const orange = v('--vscode-charts-orange', light ? '#d18616' : '#d18616');
  const green = v('--vscode-charts-green', '#388a34');
  const purple = v('--vscode-charts-purple', '#652d90');
  const yellow = v('--vscode-charts-yellow', '#bf8803');
  const red = v('--vscode-charts-red', '#e51400');
  return {
    kind,
    foreground,
    background: v('--vscode-sideBar-background', v('--vscode-editor-background', light ? '#ffffff' : '#1e1e1e')),
    grid: v('--vscode-charts-lines', light ? 'rgba(0,0,0,0.12)' : 'rgba(255,255,255,0.12)'),
    threshold: v('--vscode-charts-green', '#388a34'),
    danger: red,
    fontFamily: v('--vscode-font-family', 'sans-serif'),
    runs: { a: blue, b: orange },
    palette: [blue, orange, green, purple, yellow, red],
  };
}

/**
 * Calls `changed` when VS Code switches the theme: it sets the body's class and the theme
 * variables in the root element's style (colours can change within a kind, too).
 */
export function watchTheme(changed: () => void): () => void {
  const observer = new MutationObserver(() => changed());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  return () => observer.disconnect();
}
