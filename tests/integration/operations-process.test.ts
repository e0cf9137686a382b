// The real process, as an operator meets it: a bad setting stops it with one clear line and
// exit status 78; once listening it prints one line with its URL; every HTTP request is one
// JSON log line carrying the request id the response returns, and never a token.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_EXIT_CODE } from '../../server/config.js';
import { REPO_ROOT, spawnServer } from '../helpers/child-server.js';
import { createWorkshop } from '../helpers/api.js';
import { waitFor } from '../helpers/wait.js';

const dataDir = mkdtempSync(join(tmpdir(), 'relatoria-ops-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// Complete lines only: a pipe may hand us half a line.
const jsonLines = (output: string) =>
  output.split('\n').slice(0, -1).filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the server process', () => {
  it('refuses a bad setting at start with exit status 78 and one line naming it', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: dataDir, BOARD_IDLE_MS: 'abc', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
    expect(code).toBe(CONFIG_EXIT_CODE);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Relatoría did not start: invalid configuration: BOARD_IDLE_MS="abc"/)]);
  });

  it('prints one line with its URL once listening, then one JSON line per request with the id the response carries', async () => {
    const child = await spawnServer({ dataDir });
    // /healthz answering and the line reaching our end of the stdout pipe are two channels:
    // the child writes the line before it serves anything, but we may read the reply first.
    await waitFor(() => jsonLines(child.output()).length > 0, 5_000, 'the first log line');
    const first = jsonLines(child.output())[0]!;
    expect(first).toMatchObject({ level: 'info', msg: `Relatoría listening on http://127.0.0.1:${child.port}` });

    const w = await createWorkshop(child.url);
    const res = await fetch(`${child.url}/api/workshops/${w.id}`, { headers: { authorization: `Bearer ${w.facilitatorToken}`, 'x-request-id': 'taller-42' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('taller-42');
    const generated = (await fetch(`${child.url}/api/me`)).headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);

    await waitFor(() => jsonLines(child.output()).some((l) => (l.req as { id?: string } | undefined)?.id === generated), 5_000, 'the request lines');
    const lines = jsonLines(child.output());
    const mine = lines.filter((l) => (l.req as { id?: string } | undefined)?.id === 'taller-42');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ level: 'info', msg: `GET /api/workshops/${w.id} 200`, res: { status: 200 }, req: { method: 'GET', path: `/api/workshops/${w.id}` } });
    expect(typeof mine[0]!.responseTime).toBe('number');
    // Headers are never logged: the bearer token stays out of the log.
    expect(child.output()).not.toContain(w.facilitatorToken);
    expect(child.output()).not.toContain('authorization');
  });
});
