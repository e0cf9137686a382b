// The one way the server writes into a board on someone's behalf: Markdown import,
// version restore, revealed private cards, archive import, and whatever path comes next.
// It asks the question the board socket asks of every client update — `BoardGuard.access`
// (role, group, removal, lock) — twice: before any work, so a refusal is answered at
// once, and again in the board's queue right before the change is applied, so a lock set
// in between holds. `Board.change` takes only a permit issued here, so a new path cannot
// write without passing the guard.
import type * as Y from 'yjs';
import type { BoardAddress } from '../../shared/doc-name.js';
import { boardDocName } from '../../shared/doc-name.js';
import type { BoardAccess, Principal } from '../auth/principal.js';
import type { CommitResult } from './board.js';
import type { BoardRegistry } from './registry.js';
import { issueWritePermit } from './write-permit.js';

export type WriteRefusalReason = 'locked' | 'forbidden';

/** A write the guard refused: HTTP answers 423 (`locked`) or 403, Socket.IO `locked` or `forbidden`. */
export class WriteRefused extends Error {
  constructor(
    readonly reason: WriteRefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/** Who may write where, now. Both the board socket and BoardWriter ask it. */
export interface BoardGuard {
  /** Loads what `access` needs (the workshop's session, and the principal if it joined through another node). */
  prepare(board: BoardAddress, principal?: Principal): Promise<void>;
  /** Whether the board's group exists (after `prepare`). */
  exists(board: BoardAddress): boolean;
  /** What `principal` may do with the board now: its role and current group, removal and lock folded in. */
  access(principal: Principal, board: BoardAddress): BoardAccess;
  /** What `principal` may do with the board if it were not locked: tells a lock from a lack of rights. */
  memberAccess(principal: Principal, board: BoardAddress): BoardAccess;
}

export class BoardWriter {
  readonly #registry: BoardRegistry;
  readonly #guard: BoardGuard;

  constructor(deps: { registry: BoardRegistry; guard: BoardGuard }) {
    this.#registry = deps.registry;
    this.#guard = deps.guard;
  }

  /** Throws `WriteRefused` unless `principal` may write to `board` now. */
  async assertMayWrite(principal: Principal, board: BoardAddress): Promise<void> {
    await this.#guard.prepare(board, principal);
    const refusal = this.#refusal(principal, board);
    if (refusal) throw refusal;
  }

  /**
   * Changes `board` as `principal`: stored and relayed like any edit. Throws
   * `WriteRefused` if the guard refuses, before or at the moment of applying.
   */
  async change(principal: Principal, board: BoardAddress, mutate: (doc: Y.Doc) => void): Promise<CommitResult> {
    await this.assertMayWrite(principal, board);
    const live = await this.#registry.open(boardDocName(board));
    const permit = issueWritePermit(() => {
      const refusal = this.#refusal(principal, board);
      if (refusal) throw refusal;
    });
    return live.change(permit, mutate);
  }

  #refusal(principal: Principal, board: BoardAddress): WriteRefused | null {
    if (this.#guard.access(principal, board) === 'write') return null;
    if (this.#guard.memberAccess(principal, board) === 'write') return new WriteRefused('locked', 'This board is locked: nobody writes to it until the facilitator unlocks it');
    return new WriteRefused('forbidden', 'You may not write to this board');
  }
}
