// What a command handler gets: the workshop's session (already locked for it), the
// sender, the clock, and the one way to change state — `commit`, which stores the
// next record before making it current.
import { ErrorCode, type Ack, type CommandReply } from '../../shared/protocol.js';
import type { FacilitatorCommand } from '../../shared/session.js';
import type { Principal } from '../auth/principal.js';
import type { BoardWriter } from '../docsync/board-writer.js';
import type { BoardRegistry } from '../docsync/registry.js';
import type { Store } from '../store/store.js';
import type { Emit, EmitVotes } from './session-events.js';
import type { SessionRecord, WorkshopSession } from './workshop-session.js';

export type Reply = Ack<CommandReply>;
export const ok = (extra: CommandReply = {}): Reply => ({ ok: true, ...extra });
export const refuse = (error: ErrorCode, message: string): Reply => ({ ok: false, error, message });

export interface CommandContext {
  session: WorkshopSession;
  principal: Principal;
  now: number;
  store: Store;
  registry: BoardRegistry;
  /** The only way a command writes into a board. */
  writer: BoardWriter;
  emit: Emit;
  emitVotes: EmitVotes;
  commit(next: SessionRecord): Promise<void>;
  /** Ballots, roster or rounds changed: vote progress and the live ranking follow, throttled. */
  votesChanged(): void;
  /** Runs one of the rules of shared/session.ts and commits its result (with `extra` record fields). */
  applyRule(command: FacilitatorCommand, extra?: Partial<Omit<SessionRecord, 'version'>>): Promise<Reply>;
}

export { ErrorCode };
