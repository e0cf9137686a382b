// A board's versions: the list, saving one by name, viewing one read-only, what
// changed since, and restoring one (as a new change every client receives). Saving
// and restoring need write access and an unlocked board; the server checks too, and
// its refusal is shown as it comes.
import type { BoardContent } from '../../../shared/board.js';
import type { VersionDiff, VersionInfo } from '../../../shared/history.js';
import { describeError, type ShownError } from '../errors.js';
import type { DocumentsApi } from './documents-api.js';

export interface BoardHistoryTarget {
  workshopId: string;
  groupId: string;
  token: string;
  /** This person may write the board (its own group's, or the facilitator). */
  mayWrite: boolean;
  /** The board's lock as the page knows it live (the facilitation channel), when it does. */
  lockedLive?: () => boolean | null;
}

export type HistoryDetail =
  | { kind: 'version'; info: VersionInfo; content: BoardContent }
  | { kind: 'diff'; info: VersionInfo; diff: VersionDiff };

export type HistoryNotice = { key: 'history.saved'; label: string } | { key: 'history.restored' };

/** Why saving and restoring are off, if they are. */
export type WriteBlock = 'readOnly' | 'locked' | null;

export class BoardHistory {
  readonly #target: BoardHistoryTarget;
  readonly #documents: DocumentsApi;
  #versions = $state.raw<VersionInfo[] | null>(null);
  #lockedByServer = $state(false);
  #detail = $state.raw<HistoryDetail | null>(null);
  #busy = $state<string | null>(null);
  #confirming = $state<string | null>(null);
  #error = $state<ShownError | null>(null);
  #notice = $state<HistoryNotice | null>(null);
  label = $state('');

  constructor(target: BoardHistoryTarget, documents: DocumentsApi) {
    this.#target = target;
    this.#documents = documents;
  }

  get versions(): VersionInfo[] | null {
    return this.#versions;
  }

  get detail(): HistoryDetail | null {
    return this.#detail;
  }

  /** What is in flight: 'list', 'save', or a version id being opened or restored. */
  get busy(): string | null {
    return this.#busy;
  }

  /** The version whose restore waits for a yes. */
  get confirming(): string | null {
    return this.#confirming;
  }

  get error(): ShownError | null {
    return this.#error;
  }

  get notice(): HistoryNotice | null {
    return this.#notice;
  }

  get writeBlock(): WriteBlock {
    if (!this.#target.mayWrite) return 'readOnly';
    return (this.#target.lockedLive?.() ?? this.#lockedByServer) ? 'locked' : null;
  }

  async load(): Promise<void> {
    const { workshopId, groupId, token } = this.#target;
    await this.#run('list', async () => {
      const [versions] = await Promise.all([this.#documents.versions(workshopId, groupId, token), this.#refreshLock()]);
      this.#versions = versions;
    });
  }

  /** The lock is a hint for the buttons; the server decides. */
  async #refreshLock(): Promise<void> {
    const { workshopId, groupId, token } = this.#target;
    const locks = await this.#documents.locks(workshopId, token).catch(() => null);
    if (locks) this.#lockedByServer = locks.groups.some((g) => g.id === groupId && g.locked === true);
  }

  async save(): Promise<void> {
    const label = this.label.trim();
    if (label === '' || this.writeBlock) return;
    const { workshopId, groupId, token } = this.#target;
    const saved = await this.#run('save', () => this.#documents.saveVersion(workshopId, groupId, token, label));
    if (!saved) return void this.#refreshLock();
    this.label = '';
    this.#notice = { key: 'history.saved', label: saved.label };
    this.#versions = [saved, ...(this.#versions ?? []).filter((v) => v.id !== saved.id)];
  }

  async view(info: VersionInfo): Promise<void> {
    const { workshopId, groupId, token } = this.#target;
    const version = await this.#run(info.id, () => this.#documents.version(workshopId, groupId, token, info.id));
    if (version) this.#detail = { kind: 'version', info: version.info, content: version.content };
  }

  async compare(info: VersionInfo): Promise<void> {
    const { workshopId, groupId, token } = this.#target;
    const diff = await this.#run(info.id, () => this.#documents.diff(workshopId, groupId, token, info.id));
    if (diff) this.#detail = { kind: 'diff', info, diff };
  }

  back(): void {
    this.#detail = null;
    this.#error = null;
  }

  askRestore(id: string): void {
    this.#confirming = id;
    this.#notice = null;
  }

  cancelRestore(): void {
    this.#confirming = null;
  }

  async restore(id: string): Promise<void> {
    if (this.writeBlock) return;
    const { workshopId, groupId, token } = this.#target;
    this.#confirming = null;
    const done = await this.#run(id, () => this.#documents.restore(workshopId, groupId, token, id));
    if (!done) return void this.#refreshLock();
    this.#detail = null;
    this.#notice = { key: 'history.restored' };
    await this.load();
  }

  dismissNotice(): void {
    this.#notice = null;
  }

  async #run<T>(what: string, work: () => Promise<T>): Promise<T | null> {
    this.#busy = what;
    this.#error = null;
    if (what !== 'list') this.#notice = null;
    try {
      return await work();
    } catch (err) {
      this.#error = describeError(err);
      return null;
    } finally {
      if (this.#busy === what) this.#busy = null;
    }
  }
}
