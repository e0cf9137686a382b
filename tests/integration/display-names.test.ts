// Joining with a name nobody can read, or one that reorders the text around it, is
// refused with 400 `bad_name` and a message that says why; nothing is stored.
import { describe, expect, it } from 'vitest';
import { api, createWorkshop } from '../helpers/api.js';
import { startServer } from '../helpers/server.js';

describe('display names when joining', () => {
  it.each([
    ['only a zero-width space', '\u200B', /formatting/],
    ['a right-to-left override', 'abc\u202Eevil', /text-direction/],
    ['a first-strong isolate', 'Ana\u2068Luz', /text-direction/],
    ['only Hangul fillers', '\u3164\u3164', /visible/],
  ])('refuses %s with 400 bad_name', async (_what, name, message) => {
    const t = await startServer();
    const w = await createWorkshop(t.url);
    const res = await api(t.url, 'POST', `/api/workshops/${w.id}/join`, { json: { code: w.joinCode, name, groupId: w.groups[0]!.id } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_name');
    expect(res.body.error.message).toMatch(message);
    const roster = await api(t.url, 'GET', `/api/workshops/${w.id}`, { token: w.facilitatorToken });
    expect(JSON.stringify(roster.body)).not.toContain(name);
  });

  it('accepts names in any script, joiners between letters included', async () => {
    const t = await startServer();
    const w = await createWorkshop(t.url);
    for (const name of ['María José', 'می\u200Cخواهم', '👩\u200D💻 Ana']) {
      const res = await api(t.url, 'POST', `/api/workshops/${w.id}/join`, { json: { code: w.joinCode, name, groupId: w.groups[0]!.id } });
      expect([name, res.status]).toEqual([name, 201]);
      expect(res.body.name).toBe(name);
    }
  });
});
