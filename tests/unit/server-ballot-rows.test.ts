// Ballot rows over the session record's ballots: what a restart reads back.
import { describe, expect, it } from 'vitest';
import { encodeBallotRow, overlayBallotRows } from '../../server/facilitation/ballot-rows.js';

describe('ballot rows', () => {
  const record = { ballots: { ana: { 'g/c1': 2 }, beto: { 'g/c2': 1 } }, done: ['beto'] };

  it('a record from before ballot rows (ballots inside it) keeps them all', () => {
    expect(overlayBallotRows(record, new Map(), () => undefined)).toEqual(record);
  });

  it('rows are newer than the record: they replace its ballot and done flag, others stay', () => {
    const rows = new Map([
      ['beto', encodeBallotRow({ ballot: { 'g/c1': 1 }, done: false })],
      ['alba', encodeBallotRow({ ballot: { 'g/c3': 3 }, done: true })],
    ]);
    const result = overlayBallotRows(record, rows, () => undefined);
    expect(result.ballots).toEqual({ ana: { 'g/c1': 2 }, beto: { 'g/c1': 1 }, alba: { 'g/c3': 3 } });
    expect(result.done.sort()).toEqual(['alba']);
  });

  it('an unreadable row is skipped and reported, the record left as it was for that person', () => {
    const unreadable: string[] = [];
    const rows = new Map([['ana', '{"ballot":{"g/c1":-1},"done":false}'], ['beto', 'not json']]);
    expect(overlayBallotRows(record, rows, (p) => unreadable.push(p))).toEqual(record);
    expect(unreadable).toEqual(['ana', 'beto']);
  });
});
