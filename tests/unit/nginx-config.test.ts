// The balancer's configuration is docs/cluster/nginx.conf with only its node addresses and
// `listen` filled in (scripts/nginx.ts): everything operators read is what runs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NGINX_TEMPLATE, nginxConfig } from '../../scripts/nginx.js';

const template = readFileSync(NGINX_TEMPLATE, 'utf8');

describe('nginxConfig', () => {
  it('replaces the upstream servers and the listen port, and nothing else', () => {
    const out = nginxConfig(template, { listen: '127.0.0.1:18080', nodes: ['127.0.0.1:4001', '127.0.0.1:4002'] });
    const servers = out.split('\n').filter((l) => /^\s*server \d/.test(l)).map((l) => l.trim());
    expect(servers).toEqual(['server 127.0.0.1:4001 max_fails=1 fail_timeout=5s;', 'server 127.0.0.1:4002 max_fails=1 fail_timeout=5s;']);
    expect(out).toMatch(/^\s*listen 127\.0\.0\.1:18080;$/m);
    expect(out).not.toMatch(/^\s*listen 8080;$/m);
    // The rest is the file as documented: same lines once the replaced ones are set aside.
    const rest = (text: string) => text.split('\n').filter((l) => !/^\s*(server \d|listen )/.test(l));
    expect(rest(out)).toEqual(rest(template));
    for (const kept of ['ip_hash;', 'proxy_next_upstream error timeout http_502 http_503;', 'location /yjs/', 'location /socket.io/', 'proxy_set_header Upgrade $http_upgrade;']) {
      expect(out).toContain(kept);
    }
  });

  it('refuses a template whose shape changed rather than balance to the wrong place', () => {
    expect(() => nginxConfig(template.replace(/listen 8080;/, 'listen 8080 reuseport;'), { listen: '1', nodes: ['127.0.0.1:1'] })).toThrow(/listen/);
    expect(() => nginxConfig(template.replace(/server 127\.0\.0\.1:/g, 'server localhost:'), { listen: '1', nodes: ['127.0.0.1:1'] })).toThrow(/upstream/);
  });
});
