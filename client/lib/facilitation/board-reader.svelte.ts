// A board opened to read only (the console's card texts, the projector's spotlight):
// the same connection code as the board page, without a local copy or presence, and
// the board's whole content as reactive plain data.
import { createSubscriber } from 'svelte/reactivity';
import { listCards, readBoardContent, type BoardContent, type CardView } from '../../../shared/board.js';
import { boardDocName } from '../../../shared/doc-name.js';
import { BoardConnection } from '../board/board-connection.js';
import { fromOutside } from '../outside-events.js';

export interface BoardReaderOptions {
  /** `ws(s)://host/yjs` */
  serverUrl: string;
  workshopId: string;
  groupId: string;
  token: string;
}

export class BoardReader {
  readonly groupId: string;
  readonly #conn: BoardConnection;
  readonly #changed: () => void;
  #synced = $state(false);

  constructor(opts: BoardReaderOptions) {
    this.groupId = opts.groupId;
    const conn = new BoardConnection(
      { serverUrl: opts.serverUrl, room: boardDocName(opts), token: opts.token, localCopy: null },
      {
        changed: () => {
          if (this.#synced !== conn.synced) this.#synced = conn.synced;
        },
        denied: () => undefined,
        dropped: () => undefined,
        closed: () => undefined,
      },
    );
    // A reader is nobody on the board: no avatar, no caret; nor does it send back the
    // states it receives, as the stock provider does (the server would ignore them).
    conn.awareness.setLocalState(null);
    conn.awareness.off('update', conn.provider._awarenessUpdateHandler);
    this.#conn = conn;
    this.#changed = createSubscriber((update) => {
      const notify = fromOutside(update);
      conn.doc.on('update', notify);
      return () => conn.doc.off('update', notify);
    });
  }

  get synced(): boolean {
    return this.#synced;
  }

  get content(): BoardContent {
    this.#changed();
    return readBoardContent(this.#conn.doc);
  }

  get cards(): CardView[] {
    this.#changed();
    return listCards(this.#conn.doc);
  }

  destroy(): void {
    void this.#conn.shutdown({ clearLocal: false }).then(() => this.#conn.destroyDoc());
  }
}

/** Readers for a changing set of boards: `keep` opens the missing ones and closes the rest. */
export class BoardReaderPool {
  readonly #opts: Omit<BoardReaderOptions, 'groupId'>;
  #readers = $state.raw<Map<string, BoardReader>>(new Map());

  constructor(opts: Omit<BoardReaderOptions, 'groupId'>) {
    this.#opts = opts;
  }

  keep(groupIds: readonly string[]): void {
    const wanted = new Set(groupIds);
    const next = new Map<string, BoardReader>();
    for (const [id, reader] of this.#readers) {
      if (wanted.has(id)) next.set(id, reader);
      else reader.destroy();
    }
    for (const id of wanted) if (!next.has(id)) next.set(id, new BoardReader({ ...this.#opts, groupId: id }));
    if (next.size !== this.#readers.size || [...next.keys()].some((k) => !this.#readers.has(k))) this.#readers = next;
  }

  reader(groupId: string): BoardReader | undefined {
    return this.#readers.get(groupId);
  }

  /** A card's text, when its board is open here and has it. */
  cardText(groupId: string, cardId: string): string | null {
    return this.#readers.get(groupId)?.cards.find((c) => c.id === cardId)?.text ?? null;
  }

  destroy(): void {
    for (const r of this.#readers.values()) r.destroy();
    this.#readers = new Map();
  }
}
