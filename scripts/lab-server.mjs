// The Gradient Lab's standalone page on 127.0.0.1: the same page shell, CSP and bundle as the VS
// Code view (webview/page.ts, dist/webview/), with the stand-in for the VS Code API
// (dist/lab-page/) loaded first. `npm run lab` starts it; the browser tests and the bench start it
// with startLabServer(). Imports TypeScript, so it runs under tsx (`node --import tsx`).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy, labPage, makeNonce } from '../webview/page.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(ROOT, 'dist', 'webview');
const STAND_IN = join(ROOT, 'dist', 'lab-page');
const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.png': 'image/png', '.wasm': 'application/wasm' };

/** The file a request path names inside one of the served folders, or undefined (never outside them). */
function fileFor(folders, pathname) {
  for (const [prefix, folder] of Object.entries(folders)) {
    if (!pathname.startsWith(prefix)) continue;
    const file = normalize(join(folder, decodeURIComponent(pathname.slice(prefix.length))));
    return file.startsWith(folder + sep) ? file : undefined;
  }
  return undefined;
}

/**
 * Serves the page on 127.0.0.1 (port 0: any free port), with the page bundle from `bundle`
 * (default dist/webview; the bench serves a production build). Resolves to { url, close() } once
 * listening.
 */
export function startLabServer({ port = 0, bundle = BUNDLE } = {}) {
  const folders = { '/webview/': bundle, '/lab-page/': STAND_IN };
  const server = createServer(async (request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
    const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, headers).end();
      return;
    }
    if (pathname === '/' || pathname === '/index.html') {
      const nonce = makeNonce();
      const html = labPage({ bundleRoot: '/webview', cspSource: "'self'", nonce, hostScripts: ['/lab-page/host.js'], hostStyles: ['/lab-page/host.css'] });
      response.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': contentSecurityPolicy("'self'", nonce) });
      response.end(html);
      return;
    }
    if (pathname === '/favicon.ico') {
      response.writeHead(204, headers).end();
      return;
    }
    const file = fileFor(folders, pathname);
    if (!file) {
      response.writeHead(404, headers).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404, headers).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve({ url: `http://127.0.0.1:${address.port}/`, close: () => new Promise((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}
