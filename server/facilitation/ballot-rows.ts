// A participant's ballot as the store keeps it apart from the session record (one row
// per participant and round), and how rows are read back over the record's ballots.
import { z } from 'zod';
import type { Ballot } from '../../shared/voting.js';

export interface BallotRow {
  ballot: Ballot;
  done: boolean;
}

const rowSchema = z.object({ ballot: z.record(z.string(), z.number().int().nonnegative()), done: z.boolean() });

export const encodeBallotRow = (row: BallotRow): string => JSON.stringify(row);

/**
 * The record's ballots with the stored rows over them: a row is written on every dot, the
 * record only with other commands, so a row is never older than the record's copy. A row
 * that cannot be read is skipped (`unreadable` gets its participant id).
 */
export function overlayBallotRows(
  record: { ballots: Record<string, Ballot>; done: string[] },
  rows: ReadonlyMap<string, string>,
  unreadable: (participantId: string) => void,
): { ballots: Record<string, Ballot>; done: string[] } {
  const ballots = { ...record.ballots };
  const done = new Set(record.done);
  for (const [participantId, data] of rows) {
    let parsed: BallotRow;
    try {
      parsed = rowSchema.parse(JSON.parse(data));
    } catch {
      unreadable(participantId);
      continue;
    }
    ballots[participantId] = parsed.ballot;
    if (parsed.done) done.add(participantId);
    else done.delete(participantId);
  }
  return { ballots, done: [...done] };
}
