// The write guard's answers, from the workshop's session: the principal's role and
// current group (a move applies at once), removal from the workshop, and locks. The
// board socket asks it on every update; BoardWriter on every server-side write.
import { isPlenaryBoard } from '../../shared/doc-name.js';
import type { BoardGuard } from '../docsync/board-writer.js';
import type { SessionService } from './session-service.js';

/** `sessions` is asked lazily: the session service itself writes through a BoardWriter built on this guard. */
export function sessionBoardGuard(sessions: () => SessionService): BoardGuard {
  return {
    prepare: async (board, principal) => {
      await sessions().open(board.workshopId);
      if (principal) await sessions().learnParticipant(principal);
    },
    exists: (board) => {
      const session = sessions().peek(board.workshopId);
      return !!session && (isPlenaryBoard(board.groupId) || session.groupIds.includes(board.groupId));
    },
    access: (principal, board) => sessions().boardAccess(principal, board.workshopId, board.groupId),
    memberAccess: (principal, board) => sessions().memberAccess(principal, board.workshopId, board.groupId),
  };
}
