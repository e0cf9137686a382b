// Facilitation across nodes, wired for one server (cluster mode): the session service's
// serialisation and change notices go through the workshop lock and the bus; what other
// nodes send is applied here — a session changed (locks hold on this node's board sockets
// at once), a link revoked (its board sockets here close; its Socket.IO sockets were
// closed through the adapter), a workshop being deleted (nothing of it loads or is written
// here any more; its board sockets here close; once it is erased, what this node stored
// meanwhile is erased too).
import { CloseCode } from '../../shared/close-codes.js';
import type { LinkService } from '../auth/links.js';
import type { BoardRegistry } from '../docsync/registry.js';
import type { SessionService } from '../facilitation/session-service.js';
import type { SessionSync } from '../facilitation/session-sync.js';
import type { Logger } from '../lib/logger.js';
import type { Store } from '../store/store.js';
import type { ErasedWorkshops } from '../workshops/erased-workshops.js';
import type { EraserDeps } from '../workshops/workshop-eraser.js';
import type { ClusterFacilitation } from './cluster.js';

export function sessionSync(cluster: ClusterFacilitation): SessionSync {
  return {
    exclusive: (workshopId, task) => cluster.lock.exclusive(workshopId, task),
    changed: (workshopId, rev, record) => cluster.bus.publish({ kind: 'session', workshopId, rev, record }),
  };
}

export interface PeerWiring {
  cluster: ClusterFacilitation;
  sessions: SessionService;
  signer: LinkService;
  registry: BoardRegistry;
  store: Store;
  erased: ErasedWorkshops;
  /** Closes this node's board sockets opened with the link. */
  disconnectLinkBoards(linkId: string): void;
  log: Logger;
}

/** Applies here what the other nodes tell; tells them this node's revocations. */
export function shareWithPeers(w: PeerWiring): void {
  const { bus } = w.cluster;
  w.signer.onRevoked((linkId, link) =>
    bus.publish({ kind: 'revoked', linkId, workshopId: link.workshopId, expiresAt: link.expiresAt, revokedAt: link.revokedAt }),
  );
  bus.onReconnected(() => w.sessions.refreshAll());
  /** Workshops being deleted through another node: this node's closing of them. */
  const closing = new Map<string, Promise<void>>();
  bus.onMessage((message) => {
    switch (message.kind) {
      case 'session':
        return w.sessions.changedElsewhere(message.workshopId, message.rev, message.record);
      case 'revoked':
        w.signer.revokedElsewhere(message.linkId, message);
        return w.disconnectLinkBoards(message.linkId);
      case 'joined':
        return w.sessions.joinedElsewhere(message.workshopId);
      case 'join-code': {
        const session = w.sessions.peek(message.workshopId);
        if (session) session.joinCode = message.joinCode; // consoles were told through the adapter
        return;
      }
      case 'erasing': {
        const workshopId = message.workshopId;
        w.erased.add(workshopId);
        const closed = (async () => {
          await w.sessions.erase(workshopId, { tell: false });
          await w.registry.closeWorkshop(workshopId, CloseCode.WorkshopDeleted, 'workshop deleted');
          w.signer.forgetWorkshop(workshopId);
        })().catch((err: unknown) => w.log.error('closing a workshop deleted through another node failed', { workshop: workshopId, err }));
        closing.set(workshopId, closed);
        return;
      }
      case 'erased': {
        // What this node's boards stored while the deletion ran (a write in flight, the
        // compaction on close) may have landed after its transaction: erased again, idempotently.
        const workshopId = message.workshopId;
        const closed = closing.get(workshopId) ?? Promise.resolve();
        closing.delete(workshopId);
        void closed
          .then(() => w.store.deleteWorkshop(workshopId))
          .catch((err: unknown) => w.log.error('sweeping a deleted workshop’s late writes failed', { workshop: workshopId, err }));
        return;
      }
      case 'erase-failed':
        closing.delete(message.workshopId);
        return w.erased.remove(message.workshopId);
    }
  });
}

/** Someone joined through this node: the other nodes read the roster and tell their consoles. */
export function joinedNotice(cluster: ClusterFacilitation, workshopId: string): void {
  void cluster.bus.publish({ kind: 'joined', workshopId });
}

/** A join code rotated here: the other nodes' sessions show the new one in snapshots. */
export function joinCodeNotice(cluster: ClusterFacilitation, workshopId: string, joinCode: string): void {
  void cluster.bus.publish({ kind: 'join-code', workshopId, joinCode });
}

/** What the eraser tells the other nodes: before it erases anything, once it is erased, and when it failed. */
export function eraseNotices(cluster: ClusterFacilitation): NonNullable<EraserDeps['peers']> {
  return {
    erasing: (workshopId) => cluster.bus.publish({ kind: 'erasing', workshopId }),
    erased: (workshopId) => void cluster.bus.publish({ kind: 'erased', workshopId }),
    failed: (workshopId) => void cluster.bus.publish({ kind: 'erase-failed', workshopId }),
  };
}
