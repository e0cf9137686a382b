import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { listPeers, listRemoteDrags, publishDrag, publishUser } from '../../client/lib/board/awareness-state.js';

/** An awareness that also holds the given remote clients' states, as received over the wire. */
function withRemotes(...states: Array<Record<string, unknown>>): Awareness {
  const local = new Awareness(new Y.Doc());
  for (const state of states) {
    const remote = new Awareness(new Y.Doc());
    remote.setLocalState(state);
    applyAwarenessUpdate(local, encodeAwarenessUpdate(remote, [remote.clientID]), 'test');
    remote.destroy();
  }
  return local;
}

describe('reading awareness', () => {
  it('lists each person once, self first, and skips states without a usable name', () => {
    const awareness = withRemotes(
      { user: { id: 'p2', name: 'Bruno', color: '#2b8a3e' } },
      { user: { id: 'p2', name: 'Bruno', color: '#2b8a3e' } }, // a second tab
      { user: { id: 'p3', name: '   ' } },
      { user: 'not an object' },
      { cursor: null },
      { user: { id: 'p4', name: 'Zoé', color: 'red; background: url(x)' } },
    );
    publishUser(awareness, { id: 'p1', name: 'Ana', color: '#1971c2' });
    const peers = listPeers(awareness);
    expect(peers.map((p) => [p.name, p.isSelf])).toEqual([['Ana', true], ['Bruno', false], ['Zoé', false]]);
    expect(peers.find((p) => p.name === 'Zoé')?.color).toBe('#868e96');
    awareness.destroy();
  });

  it('lists the cards others drag, never my own, and ignores malformed drags', () => {
    const awareness = withRemotes(
      { user: { id: 'p2', name: 'Bruno', color: '#2b8a3e' }, drag: { cardId: 'c1', toIndex: 2 } },
      { user: { id: 'p3', name: 'Carla', color: '#9c36b5' }, drag: { cardId: 'c2', toIndex: -1 } },
      { user: { id: 'p4', name: 'Dani', color: '#9c36b5' }, drag: { cardId: 7, toIndex: 0 } },
    );
    publishUser(awareness, { id: 'p1', name: 'Ana', color: '#1971c2' });
    publishDrag(awareness, { cardId: 'c3', toIndex: 0 });
    expect(listRemoteDrags(awareness)).toEqual([{ cardId: 'c1', toIndex: 2, by: { id: 'p2', name: 'Bruno', color: '#2b8a3e' } }]);
    publishDrag(awareness, null);
    expect(awareness.getLocalState()?.drag).toBeNull();
    awareness.destroy();
  });
});
