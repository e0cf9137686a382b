// Deleting a workshop: from memory first — nothing of it may load or be written again,
// everyone connected is told and disconnected, what was under way is stored — then from
// the store in one transaction, so that no late write brings any of it back.
import { CloseCode } from '../../shared/close-codes.js';
import type { BoardRegistry } from '../docsync/registry.js';
import type { SessionService } from '../facilitation/session-service.js';
import type { HistoryService } from '../history/history-service.js';
import type { Logger } from '../lib/logger.js';
import type { Store } from '../store/store.js';
import type { ErasedWorkshops } from './erased-workshops.js';

export interface EraserDeps {
  store: Store;
  registry: BoardRegistry;
  sessions: SessionService;
  history: HistoryService;
  erased: ErasedWorkshops;
  log: Logger;
  /** Told once a workshop is gone from the store. */
  onErased?: (workshopId: string) => void;
  /** Cluster mode: the other nodes are told before anything is erased, once it is, and if it failed. */
  peers?: { erasing(workshopId: string): Promise<void>; erased(workshopId: string): void; failed(workshopId: string): void };
}

/** Who asked: the facilitator (DELETE /api/workshops/:id) or the retention setting. */
export type ErasedBy = 'facilitator' | 'retention';

export class WorkshopEraser {
  readonly #deps: EraserDeps;

  constructor(deps: EraserDeps) {
    this.#deps = deps;
  }

  /** Erases the workshop; false when the store had no such workshop. */
  async erase(workshopId: string, by: ErasedBy): Promise<boolean> {
    const { store, registry, sessions, history, erased, log } = this.#deps;
    erased.add(workshopId);
    await this.#deps.peers?.erasing(workshopId);
    let existed: boolean;
    try {
      await sessions.erase(workshopId);
      await registry.closeWorkshop(workshopId, CloseCode.WorkshopDeleted, 'workshop deleted');
      await history.forgetWorkshop(workshopId);
      existed = await store.deleteWorkshop(workshopId);
    } catch (err) {
      // Nothing of it was erased (the store's delete is one transaction): it may be opened again.
      if ((await store.getWorkshop(workshopId).catch(() => null)) !== null) {
        erased.remove(workshopId);
        this.#deps.peers?.failed(workshopId);
      }
      log.error('deleting a workshop failed', { workshop: workshopId, by, err });
      throw err;
    }
    this.#deps.peers?.erased(workshopId);
    this.#deps.onErased?.(workshopId);
    if (existed) log.info('workshop deleted', { workshop: workshopId, by });
    return existed;
  }
}
