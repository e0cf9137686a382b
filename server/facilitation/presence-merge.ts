// Who is online, merged across sources (this node's sockets, each other node's report):
// one entry per person (participant id, or role), their connections added up.
import type { PresenceEntry } from '../../shared/protocol.js';

/** The key one person's presence is held under: the participant id, or the role (facilitator, projector…). */
export function presenceKey(e: Pick<PresenceEntry, 'participantId' | 'role'>): string {
  return e.participantId ?? e.role;
}

/** One entry per person over all `sources`; the entries given are never changed (a merged one is a copy). */
export function mergePresence(sources: Iterable<Iterable<PresenceEntry>>): Map<string, PresenceEntry> {
  const merged = new Map<string, PresenceEntry>();
  for (const entries of sources) {
    for (const e of entries) {
      const key = presenceKey(e);
      const seen = merged.get(key);
      merged.set(key, seen ? { ...seen, connections: seen.connections + e.connections } : e);
    }
  }
  return merged;
}
