// Security headers on pages and API through the real server, and no source map served:
// not the one a careless build leaves in the client directory, not a page in its place.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startServer } from '../helpers/server.js';

async function serverWithClient() {
  const clientDir = mkdtempSync(join(tmpdir(), 'relatoria-client-'));
  onTestFinished(() => rmSync(clientDir, { recursive: true, force: true }));
  mkdirSync(join(clientDir, 'assets'));
  writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>Relatoría</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(clientDir, 'assets', 'app.js'), 'console.log("hola");\n//# sourceMappingURL=app.js.map\n');
  writeFileSync(join(clientDir, 'assets', 'app.js.map'), '{"version":3,"sources":["../../client/secret.ts"],"mappings":""}');
  return startServer({ clientDir });
}

function directives(csp: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (csp ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

function expectSecurityHeaders(headers: Headers, host: string): void {
  const csp = directives(headers.get('content-security-policy'));
  expect(csp.get('script-src')).toEqual(["'self'"]);
  expect(csp.get('default-src')).toEqual(["'self'"]);
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  expect(csp.get('object-src')).toEqual(["'none'"]);
  expect(csp.get('base-uri')).toEqual(["'none'"]);
  expect(csp.get('connect-src')).toEqual(["'self'", `ws://${host}`, `wss://${host}`]);
  expect(headers.get('content-security-policy')).not.toMatch(/unsafe-eval|upgrade-insecure-requests/);
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.get('x-frame-options')).toBe('DENY');
  expect(headers.get('x-powered-by')).toBeNull();
}

describe('security headers', () => {
  it('are on the pages, the assets, the API and its errors', async () => {
    const t = await serverWithClient();
    const host = new URL(t.url).host;
    for (const path of ['/', '/w/abc/board/def', '/assets/app.js', '/api/workshops/nope', '/api/nothing-here', '/healthz']) {
      const res = await fetch(t.url + path);
      await res.arrayBuffer();
      expectSecurityHeaders(res.headers, host);
    }
    const created = await fetch(`${t.url}/api/workshops`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":' });
    expect(created.status).toBe(400);
    expectSecurityHeaders(created.headers, host);
  });

  it('name no socket origin but this host, and none from a Host header that is not one', async () => {
    const t = await serverWithClient();
    const { request } = await import('node:http');
    const csp = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: t.port, path: '/', headers: { host: 'evil.example;script-src *' } }, (res) => {
        res.resume();
        resolve(String(res.headers['content-security-policy']));
      });
      req.on('error', reject);
      req.end();
    });
    expect(directives(csp).get('connect-src')).toEqual(["'self'"]);
    expect(directives(csp).get('script-src')).toEqual(["'self'"]);
  });

  it('serve no source map, even one left in the client directory, and no page in place of a missing asset', async () => {
    const t = await serverWithClient();
    for (const path of ['/assets/app.js.map', '/assets/app.js.m%61p', '/assets/app.js.MAP', '/assets/other.js.map', '/app.js.map', '/w/x/board/y.map']) {
      const res = await fetch(t.url + path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('secret.ts');
    }
    const missing = await fetch(`${t.url}/assets/missing-chunk.js`);
    expect(missing.status).toBe(404);
    const script = await fetch(`${t.url}/assets/app.js`);
    expect(script.status).toBe(200);
  });
});
