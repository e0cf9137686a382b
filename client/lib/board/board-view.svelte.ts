// Reactive readers of one board doc and its awareness: each getter re-runs whatever
// reads it when the part of the doc it reads changes (createSubscriber over Yjs observers).
import * as Y from 'yjs';
import { createSubscriber } from 'svelte/reactivity';
import type { Awareness } from 'y-protocols/awareness';
import {
  boardTypes, listCards, listClusters, listFootnotes, listSections, listTrash, readMeta,
  type BoardMeta, type CardView, type ClusterView, type FootnoteView, type SectionView, type TrashedCardView,
} from '../../../shared/board.js';
import { fromOutside } from '../outside-events.js';
import { listPeers, listRemoteDrags, type Peer, type RemoteDrag } from './awareness-state.js';

type DeepEvents = Array<Y.YEvent<Y.AbstractType<unknown>>>;
type Observed = Pick<Y.Map<unknown>, 'observeDeep' | 'unobserveDeep'>;

function observeDeep(type: Observed, relevant: (events: DeepEvents) => boolean = () => true) {
  return createSubscriber((update) => {
    const notify = fromOutside(update);
    const handler = (events: DeepEvents) => {
      if (relevant(events)) notify();
    };
    type.observeDeep(handler);
    return () => type.unobserveDeep(handler);
  });
}

export class BoardView {
  readonly #doc: Y.Doc;
  readonly #awareness: Awareness;
  readonly #meta: () => void;
  readonly #cards: () => void;
  readonly #trash: () => void;
  readonly #clusters: () => void;
  readonly #sections: () => void;
  readonly #bodies: () => void;
  readonly #presence: () => void;

  constructor(doc: Y.Doc, awareness: Awareness) {
    this.#doc = doc;
    this.#awareness = awareness;
    const types = boardTypes(doc);
    this.#meta = observeDeep(types.meta);
    this.#cards = observeDeep(types.cards);
    this.#trash = observeDeep(types.trash);
    this.#clusters = observeDeep(types.clusters);
    // The section list changes with sections and their headings, not with every keystroke in a body.
    this.#sections = observeDeep(types.sections, (events) =>
      events.some((e) => e.target === types.sections || e.target.parent === types.sections ||
        (e.target instanceof Y.Text && e.target.parent?.parent === types.sections)));
    this.#bodies = observeDeep(types.sections);
    this.#presence = createSubscriber((update) => {
      const notify = fromOutside(update);
      awareness.on('change', notify);
      return () => awareness.off('change', notify);
    });
  }

  get doc(): Y.Doc {
    return this.#doc;
  }

  get meta(): BoardMeta {
    this.#meta();
    return readMeta(this.#doc);
  }

  get cards(): CardView[] {
    this.#cards();
    this.#clusters(); // a card's cluster counts only while the cluster is there
    return listCards(this.#doc);
  }

  get clusters(): ClusterView[] {
    this.#clusters();
    return listClusters(this.#doc);
  }

  /** Deleted cards, most recent first. */
  get trash(): TrashedCardView[] {
    this.#trash();
    return listTrash(this.#doc);
  }

  get sections(): SectionView[] {
    this.#sections();
    return listSections(this.#doc);
  }

  get footnotes(): FootnoteView[] {
    this.#bodies();
    return listFootnotes(this.#doc);
  }

  get peers(): Peer[] {
    this.#presence();
    return listPeers(this.#awareness);
  }

  get remoteDrags(): RemoteDrag[] {
    this.#presence();
    return listRemoteDrags(this.#awareness);
  }
}
