// Versions of boards: taken automatically while a board is written (every minute at
// most, and once more a minute after the last write, so the latest state is in one), at
// each phase change, right before a change that removes much of a board, and by name on
// demand; thinned as they age (version-policy.ts); viewed read-only, compared with the
// board as it is now, and restored as a new change that every connected client receives.
// Nothing here runs in a board's write path: the write path only hands over a snapshot.
import { setImmediate as nextTurn } from 'node:timers/promises';
import * as Y from 'yjs';
import { diffLines } from 'diff';
import { readBoardContent, replaceBoardWith, type BoardContent } from '../../shared/board.js';
import { blocksText } from '../../shared/rich-text.js';
import type { VersionDiff, VersionInfo, VersionKind } from '../../shared/history.js';
import { boardDocName, type BoardAddress } from '../../shared/doc-name.js';
import type { Principal } from '../auth/principal.js';
import type { BoardWriter } from '../docsync/board-writer.js';
import type { BoardRegistry } from '../docsync/registry.js';
import type { Logger } from '../lib/logger.js';
import type { Store } from '../store/store.js';
import { parseBoardDocName } from '../../shared/doc-name.js';
import { WorkshopDeletedError, type ErasedWorkshops } from '../workshops/erased-workshops.js';
import { newId } from '../workshops/workshop-service.js';
import { THINNING_SETTLES_AFTER_MS, versionsToThin } from './version-policy.js';

export interface HistoryDeps {
  store: Store;
  registry: BoardRegistry;
  writer: BoardWriter;
  log: Logger;
  /** An automatic version at most this often per board while people write (default: a minute). */
  autoEveryMs?: number;
  /** How often the versions of recently written boards are thinned (default: 10 minutes). */
  thinEveryMs?: number;
  now?: () => number;
  /** Workshops deleted: no version of their boards is stored any more. */
  erased?: ErasedWorkshops;
}

/** At most one version before a large removal per board this often: a client that wipes in a loop does not fill the store. */
const REMOVAL_VERSION_GAP_MS = 5_000;

export class HistoryService {
  readonly #deps: HistoryDeps;
  readonly #now: () => number;
  readonly #autoEveryMs: number;
  /** Per board, when its last automatic version was started. */
  readonly #lastAuto = new Map<string, number>();
  /** Boards with an automatic version due (the one after the last write of a minute). */
  readonly #due = new Map<string, NodeJS.Timeout>();
  readonly #lastRemovalVersion = new Map<string, number>();
  /** Boards whose versions thinning may still change: when their newest version was taken. */
  readonly #toThin = new Map<string, number>();
  readonly #thinTimer: NodeJS.Timeout;
  #closed = false;
  /** Versions being taken, by board: a deletion waits for them. */
  readonly #taking = new Map<Promise<unknown>, string>();

  constructor(deps: HistoryDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#autoEveryMs = deps.autoEveryMs ?? 60_000;
    this.#thinTimer = setInterval(() => void this.#thinRecent(), deps.thinEveryMs ?? 10 * 60_000);
    this.#thinTimer.unref();
  }

  /**
   * Called after every stored change of a board: a version now if none was taken in the
   * last interval, else one when the interval is over (holding every write until then).
   */
  boardChanged(docName: string): void {
    if (this.#due.has(docName)) return;
    const last = this.#lastAuto.get(docName) ?? -Infinity;
    const wait = Math.max(0, last + this.#autoEveryMs - this.#now());
    // After the change that prompted it has been relayed: never on the write path.
    const timer = setTimeout(() => {
      this.#due.delete(docName);
      this.#lastAuto.set(docName, this.#now());
      this.take(docName, 'auto').catch((err: unknown) => {
        if (!(err instanceof WorkshopDeletedError)) this.#deps.log.error('automatic version failed', { board: docName, err });
      });
    }, wait);
    timer.unref();
    this.#due.set(docName, timer);
  }

  /**
   * Keeps `snapshot` (a board right before a change that removes much of it) as a
   * `before-removal` version. Called from the write path: it only starts the store's write.
   */
  keepBeforeRemoval(docName: string, snapshot: Uint8Array, by: string): void {
    const now = this.#now();
    if (now - (this.#lastRemovalVersion.get(docName) ?? -Infinity) < REMOVAL_VERSION_GAP_MS) return;
    this.#lastRemovalVersion.set(docName, now);
    const info: VersionInfo = { id: newId(8), kind: 'before-removal', label: '', createdAt: now, createdBy: by };
    this.#toThin.set(docName, now);
    this.#track(this.#deps.store.addVersion(docName, info, snapshot), docName)
      .catch((err: unknown) => this.#deps.log.error('version before a removal failed', { board: docName, err }));
  }

  /** Deletes the versions of a board that the policy no longer keeps; resolves with how many. */
  async thin(docName: string): Promise<number> {
    const doomed = versionsToThin(await this.#deps.store.listVersions(docName), this.#now());
    if (doomed.length > 0) await this.#deps.store.deleteVersions(docName, doomed);
    return doomed.length;
  }

  async #thinRecent(): Promise<void> {
    for (const [docName, newest] of [...this.#toThin]) {
      if (this.#now() - newest > THINNING_SETTLES_AFTER_MS) this.#toThin.delete(docName);
      await this.thin(docName).catch((err: unknown) => this.#deps.log.error('thinning versions failed', { board: docName, err }));
    }
  }

  /** Stops the timers (versions already started still reach the store). */
  close(): void {
    this.#closed = true;
    clearInterval(this.#thinTimer);
    for (const timer of this.#due.values()) clearTimeout(timer);
    this.#due.clear();
  }

  /**
   * A version of each board, one board at a time, each from a turn of its own: the 50 boards
   * of an event read and stored at once, at every phase start, held every relay meanwhile.
   * Stops once the service is closed or the workshop deleted; a board that fails is logged.
   */
  async takeEach(docNames: readonly string[], kind: VersionKind, label = ''): Promise<void> {
    for (const docName of docNames) {
      await nextTurn();
      const workshopId = parseBoardDocName(docName)?.workshopId;
      if (this.#closed || (workshopId && this.#deps.erased?.has(workshopId))) return;
      await this.take(docName, kind, label).catch((err: unknown) => this.#deps.log.error(`${kind} version failed`, { board: docName, err }));
    }
  }

  take(docName: string, kind: VersionKind, label = '', createdBy = ''): Promise<VersionInfo> {
    return this.#track(this.#take(docName, kind, label, createdBy), docName);
  }

  /** A version on its way to the store: a deletion of its workshop waits for it. */
  #track<T>(storing: Promise<T>, docName: string): Promise<T> {
    this.#taking.set(storing, docName);
    void storing.finally(() => this.#taking.delete(storing)).catch(() => undefined);
    return storing;
  }

  async #take(docName: string, kind: VersionKind, label: string, createdBy: string): Promise<VersionInfo> {
    const board = await this.#deps.registry.open(docName);
    const snapshot = await board.state();
    const info: VersionInfo = { id: newId(8), kind, label, createdAt: this.#now(), createdBy };
    const workshopId = parseBoardDocName(docName)?.workshopId;
    if (workshopId) this.#deps.erased?.check(workshopId); // deleted while the snapshot was read
    await this.#deps.store.addVersion(docName, info, snapshot);
    this.#toThin.set(docName, info.createdAt);
    return info;
  }

  /** A workshop being deleted (already in `erased`): resolves once no version of its boards is still being stored. */
  async forgetWorkshop(workshopId: string): Promise<void> {
    const prefix = `${workshopId}/`;
    for (const [docName, timer] of [...this.#due]) {
      if (!docName.startsWith(prefix)) continue;
      clearTimeout(timer);
      this.#due.delete(docName);
    }
    for (const kept of [this.#lastAuto, this.#lastRemovalVersion, this.#toThin]) {
      for (const docName of [...kept.keys()]) if (docName.startsWith(prefix)) kept.delete(docName);
    }
    const under = [...this.#taking].filter(([, docName]) => docName.startsWith(prefix)).map(([taking]) => taking);
    await Promise.allSettled(under);
  }

  list(docName: string): Promise<VersionInfo[]> {
    return this.#deps.store.listVersions(docName);
  }

  async #versionDoc(docName: string, id: string): Promise<{ info: VersionInfo; doc: Y.Doc } | null> {
    const version = await this.#deps.store.getVersion(docName, id);
    if (!version) return null;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, version.snapshot);
    return { info: version.info, doc };
  }

  async view(docName: string, id: string): Promise<{ info: VersionInfo; content: BoardContent } | null> {
    const version = await this.#versionDoc(docName, id);
    if (!version) return null;
    const content = readBoardContent(version.doc);
    version.doc.destroy();
    return { info: version.info, content };
  }

  async diff(docName: string, id: string): Promise<VersionDiff | null> {
    const version = await this.view(docName, id);
    if (!version) return null;
    const board = await this.#deps.registry.open(docName);
    const now = await board.read((doc) => readBoardContent(doc));
    return diffContents(version.content, now);
  }

  /**
   * Restores a version as a new change, written as `principal` through the write guard
   * (so never into a locked board); the state before it is kept as a version too.
   */
  async restore(principal: Principal, board: BoardAddress, id: string): Promise<VersionInfo | null> {
    await this.#deps.writer.assertMayWrite(principal, board);
    const docName = boardDocName(board);
    const version = await this.#versionDoc(docName, id);
    if (!version) return null;
    try {
      const backup = await this.take(docName, 'before-restore', version.info.label || new Date(version.info.createdAt).toISOString(), principal.name || principal.role);
      await this.#deps.writer.change(principal, board, (doc) => replaceBoardWith(doc, version.doc));
      return backup;
    } finally {
      version.doc.destroy();
    }
  }
}

/** Section by section (matched by id) and card by card, what changed from `before` to `after`. */
export function diffContents(before: BoardContent, after: BoardContent): VersionDiff {
  const sections: VersionDiff['sections'] = [];
  const beforeById = new Map(before.sections.map((s) => [s.id, s]));
  const afterIds = new Set(after.sections.map((s) => s.id));
  const lines = (a: string, b: string) =>
    diffLines(a, b).flatMap((part) =>
      part.value.replace(/\n$/, '').split('\n').map((text) => ({ op: part.added ? ('add' as const) : part.removed ? ('del' as const) : ('same' as const), text })),
    );
  for (const s of after.sections) {
    const old = beforeById.get(s.id);
    const text = `${blocksText(s.body)}\n`;
    if (!old) {
      sections.push({ heading: s.heading, status: 'added', lines: lines('', text) });
      continue;
    }
    const oldText = `${blocksText(old.body)}\n`;
    const same = oldText === text && old.heading === s.heading;
    sections.push({
      heading: s.heading,
      ...(old.heading !== s.heading ? { previousHeading: old.heading } : {}),
      status: same ? 'same' : 'changed',
      lines: lines(oldText, text),
    });
  }
  for (const s of before.sections) {
    if (!afterIds.has(s.id)) sections.push({ heading: s.heading, status: 'removed', lines: lines(`${blocksText(s.body)}\n`, '') });
  }
  const beforeCards = new Set(before.cards.map((c) => c.text));
  const afterCards = new Set(after.cards.map((c) => c.text));
  return {
    sections,
    cards: {
      added: [...afterCards].filter((t) => !beforeCards.has(t)),
      removed: [...beforeCards].filter((t) => !afterCards.has(t)),
    },
  };
}
