// Versions of boards: taken automatically during activity and at each phase change,
// and by name on demand; viewed read-only, compared with the board as it is now, and
// restored as a new change that every connected client receives.
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
import { newId } from '../workshops/workshop-service.js';

export interface HistoryDeps {
  store: Store;
  registry: BoardRegistry;
  writer: BoardWriter;
  log: Logger;
  /** An automatic version at most this often per board while people write. */
  autoEveryMs?: number;
  now?: () => number;
}

export class HistoryService {
  readonly #deps: HistoryDeps;
  readonly #now: () => number;
  readonly #lastAuto = new Map<string, number>();

  constructor(deps: HistoryDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** Called after every stored change of a board. */
  boardChanged(docName: string): void {
    const now = this.#now();
    const last = this.#lastAuto.get(docName);
    if (last !== undefined && now - last < (this.#deps.autoEveryMs ?? 5 * 60_000)) return;
    this.#lastAuto.set(docName, now);
    // After the change that prompted it has been relayed: never on the write path.
    setImmediate(() => void this.take(docName, 'auto').catch((err: unknown) => this.#deps.log.error('automatic version failed', { board: docName, err })));
  }

  async take(docName: string, kind: VersionKind, label = '', createdBy = ''): Promise<VersionInfo> {
    const board = await this.#deps.registry.open(docName);
    const snapshot = await board.read((doc) => Y.encodeStateAsUpdate(doc));
    const info: VersionInfo = { id: newId(8), kind, label, createdAt: this.#now(), createdBy };
    await this.#deps.store.addVersion(docName, info, snapshot);
    return info;
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
