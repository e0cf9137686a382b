// The stored session record: each upgrade step, and what reading a stored record accepts,
// upgrades and refuses. The legacy record below is the one in tests/fixtures/legacy/sqlite-v0.db.
import { describe, expect, it } from 'vitest';
import { SESSION_RECORD_VERSION, SessionRecordError, UPGRADES, readSessionRecord } from '../../server/facilitation/session-record.js';

/** A version-1 record exactly as the code before versioning wrote it (the legacy fixture's). */
const LEGACY_V1 = {
  version: 1,
  state: {
    agenda: [
      { id: 'wwGf9Gr1', name: 'Bienvenida', durationSec: 600, kind: 'welcome' },
      { id: 'U50mEiBt', name: 'Votación', durationSec: 600, kind: 'voting' },
    ],
    phaseIndex: -1,
    timer: { status: 'idle', durationMs: 0 },
    autoLock: false,
    lockedGroups: ['gxiD876n'],
    timeUpLocked: [],
    spotlight: { groupId: null, follow: false },
    privateCards: false,
    round: {
      groupIds: ['webWtuSr'], budget: 3, maxPerCard: 2, results: 'live', id: 'eTWnQu5d', status: 'closed',
      openedAt: 1796169379846, closedAt: 1796169379855, ranking: [{ groupId: 'webWtuSr', cardId: '61731620b0804541', dots: 2, voters: 1 }],
    },
  },
  ballots: { SAWC6fe53U8i: { 'webWtuSr/61731620b0804541': 2 } },
  done: [],
  heldCards: [],
  announcements: [{ text: 'Plenario a las 16:00', groupId: null, at: 1796169379857 }],
};

/** A version-1 record written before announcements and time-up locks were kept. */
function earlyV1(): Record<string, unknown> {
  const { announcements: _a, ...record } = structuredClone(LEGACY_V1);
  const { timeUpLocked: _t, ...state } = record.state;
  return { ...record, state };
}

describe('upgrade steps', () => {
  it('every version below the current one has a step', () => {
    for (let v = 1; v < SESSION_RECORD_VERSION; v++) expect(UPGRADES[v], `step from ${v}`).toBeTypeOf('function');
  });

  describe('1 → 2', () => {
    const step = UPGRADES[1]!;

    it('fills in the announcements and time-up locks that early version-1 records lack', () => {
      const upgraded = step(earlyV1());
      expect(upgraded.version).toBe(2);
      expect(upgraded.announcements).toEqual([]);
      expect((upgraded.state as Record<string, unknown>).timeUpLocked).toEqual([]);
    });

    it('keeps the announcements and time-up locks a record has, and everything else', () => {
      const record = structuredClone(LEGACY_V1);
      (record.state.timeUpLocked as string[]) = ['gxiD876n'];
      const upgraded = step(record);
      expect(upgraded).toEqual({ ...record, version: 2 });
    });

    it('is pure: the record it was given is unchanged', () => {
      const record = earlyV1();
      const before = structuredClone(record);
      step(record);
      expect(record).toEqual(before);
    });

    it('leaves a state it cannot read for validation to refuse', () => {
      expect(step({ version: 1, state: 'nonsense' }).state).toBe('nonsense');
    });
  });
});

describe('readSessionRecord', () => {
  it('reads the legacy record at the current version, keeping the lock, the ballot, the ranking and the announcement', () => {
    const record = readSessionRecord(JSON.stringify(LEGACY_V1));
    expect(record.version).toBe(SESSION_RECORD_VERSION);
    expect(record.state.lockedGroups).toEqual(['gxiD876n']);
    expect(record.state.round?.ranking).toEqual(LEGACY_V1.state.round.ranking);
    expect(record.ballots).toEqual(LEGACY_V1.ballots);
    expect(record.announcements).toEqual(LEGACY_V1.announcements);
  });

  it('reads an early version-1 record', () => {
    const record = readSessionRecord(JSON.stringify(earlyV1()));
    expect(record.announcements).toEqual([]);
    expect(record.state.timeUpLocked).toEqual([]);
  });

  it('reads a current record as it is', () => {
    const current = { ...LEGACY_V1, version: SESSION_RECORD_VERSION, state: { ...LEGACY_V1.state, anonymous: true } };
    expect(readSessionRecord(JSON.stringify(current))).toEqual(current);
  });

  it('reads a record from before anonymous ideas with anonymity off', () => {
    const before = { ...LEGACY_V1, version: SESSION_RECORD_VERSION };
    expect(readSessionRecord(JSON.stringify(before))).toEqual({ ...before, state: { ...before.state, anonymous: false } });
  });

  it('keeps fields it does not know', () => {
    const record = readSessionRecord(JSON.stringify({ ...LEGACY_V1, notes: { kept: true } }));
    expect(record).toMatchObject({ notes: { kept: true } });
  });

  it.each([
    ['not JSON', '{"version":1,', /not JSON/],
    ['not an object', '[1,2]', /not an object/],
    ['without a version', JSON.stringify({ ...LEGACY_V1, version: undefined }), /no valid version/],
    ['with a version that is not a whole number', JSON.stringify({ ...LEGACY_V1, version: '1' }), /no valid version/],
    ['written by a newer Relatoría', JSON.stringify({ ...LEGACY_V1, version: SESSION_RECORD_VERSION + 1 }), /newer Relatoría/],
    ['with a timer it cannot read', JSON.stringify({ ...LEGACY_V1, state: { ...LEGACY_V1.state, timer: { status: 'running', durationMs: 5 } } }), /state\.timer/],
    ['with a ballot of negative dots', JSON.stringify({ ...LEGACY_V1, ballots: { p: { 'g/c': -2 } } }), /ballots\.p/],
    ['without its state', JSON.stringify({ ...LEGACY_V1, state: undefined }), /state/],
  ])('refuses a record %s, with a reason', (_what, stored, reason) => {
    let error: unknown;
    try {
      readSessionRecord(stored);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SessionRecordError);
    expect((error as SessionRecordError).code).toBe('session_record_invalid');
    expect((error as Error).message).toMatch(reason);
  });
});
