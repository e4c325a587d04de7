// The Gradient Lab's page: one HTML shell and one Content Security Policy, used by the VS Code view
// (extension/lab-view.ts) and by the standalone page of `npm run lab` (scripts/lab-server.mjs),
// so the browser tests load exactly what the editor shows. Pure string building: no DOM, no Node.

export interface PageOptions {
  /** Where the bundle lives (dist/webview), as the page may load it, without a trailing slash. */
  bundleRoot: string;
  /** The source that may serve the bundle: the webview's `cspSource`, or `'self'` for the standalone page. */
  cspSource: string;
  /** A fresh random value per page load; only scripts carrying it run. */
  nonce: string;
  /** Extra scripts and style sheets that run first (the standalone page's stand-in for the VS Code API). */
  hostScripts?: string[];
  hostStyles?: string[];
}

/**
 * Strict: nothing inline, no eval, nothing remote. The worker is started from a blob: URL made of
 * the worker bundle the page fetched from the bundle folder (a webview cannot start a worker from
 * its resource URLs, which have another origin), hence `worker-src blob:` and `connect-src`.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `connect-src ${cspSource}`,
    'worker-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** 32 characters from [A-Za-z0-9]: a nonce for one page load, from a cryptographic source. */
export function makeNonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let nonce = '';
  for (const byte of bytes) nonce += alphabet[byte % alphabet.length];
  return nonce;
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function labPage(options: PageOptions): string {
  const { bundleRoot, cspSource, nonce } = options;
  const attr = escapeAttribute;
  const styles = [...(options.hostStyles ?? []), `${bundleRoot}/main.css`].map((href) => `<link rel="stylesheet" href="${attr(href)}">`);
  const scripts = [...(options.hostScripts ?? []), `${bundleRoot}/main.js`].map((src) => `<script type="module" nonce="${attr(nonce)}" src="${attr(src)}"></script>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
${styles.join('\n')}
<link rel="preload" href="${attr(bundleRoot)}/worker.js" as="fetch" crossorigin="anonymous">
<title>Gradient Lab</title>
</head>
<body>
<main id="lab" aria-busy="true"><p class="lab-loading">Loading the Gradient Lab…</p></main>
${scripts.join('\n')}
</body>
</html>
`;
}
