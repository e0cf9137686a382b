// Boards held in memory, for tests of shared/board.ts without a server: a fresh board,
// two replicas brought level, and a replica that starts as a copy of another.
import * as Y from 'yjs';
import { initBoard } from '../../shared/board.js';

export function newBoard(title = 'Grupo B', question = '¿Qué?'): Y.Doc {
  const doc = new Y.Doc();
  initBoard(doc, { title, question, language: 'es' });
  return doc;
}

/** Exchanges what each replica lacks, both ways, as two connected clients would. */
export const sync = (x: Y.Doc, y: Y.Doc): void => {
  Y.applyUpdate(y, Y.encodeStateAsUpdate(x, Y.encodeStateVector(y)));
  Y.applyUpdate(x, Y.encodeStateAsUpdate(y, Y.encodeStateVector(x)));
};

export const copyOf = (doc: Y.Doc): Y.Doc => {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
};
