// Board content of the wrong shape, as a stock Yjs client can write it (valid updates,
// wrong types): one table shared by the shape-check unit test, the readers' unit test,
// the table test through a real server and the browser test. Each writes, in one
// transaction, a good card next to its poison; `marker` is a word of the poison that no
// export may carry. `shapeProblems` is the test's own reading of BOARD_SHAPE, written
// independently of the server's check.
import * as Y from 'yjs';
import { BOARD_SHAPE, addCard, listSections, sectionBody, type FieldShape } from '../../shared/board.js';

export interface Poison {
  name: string;
  /** A word of the poison: never in an export once removed (or skipped by the readers). */
  marker?: string;
  write(doc: Y.Doc): void;
}

const card = (fields: Record<string, unknown>) => new Y.Map<unknown>(Object.entries(fields));
const firstBody = (doc: Y.Doc): Y.XmlFragment => {
  const first = listSections(doc)[0];
  const body = first ? sectionBody(doc, first.id) : undefined;
  if (!body) throw new Error('the board has no section to poison');
  return body;
};
const element = (name: string, ...children: Array<Y.XmlElement | Y.XmlText>) => {
  const el = new Y.XmlElement(name);
  el.insert(0, children);
  return el;
};

export const MEGABYTE_TEXT = 'MEGA'.repeat(250_000);

export const POISONS: Poison[] = [
  { name: 'a string in cards', marker: 'oops-cadena', write: (doc) => doc.getArray('cards').push(['oops-cadena']) },
  { name: 'a number in sections', write: (doc) => doc.getArray('sections').push([42]) },
  { name: 'a card map without id', marker: 'SINID', write: (doc) => doc.getArray('cards').push([card({ text: new Y.Text('SINID'), author: 'x' })]) },
  { name: 'a card whose text is a number', write: (doc) => doc.getArray('cards').push([card({ id: 'numero', text: 12345, author: 'x' })]) },
  { name: 'a 1 MB card as Y.Text', marker: 'MEGAMEGA', write: (doc) => doc.getArray('cards').push([card({ id: 'mega1', text: new Y.Text(MEGABYTE_TEXT), position: 9 })]) },
  { name: 'a 1 MB card as a plain string', marker: 'MEGAMEGA', write: (doc) => doc.getArray('cards').push([card({ id: 'mega2', text: MEGABYTE_TEXT, position: 9 })]) },
  {
    name: 'an unknown XML element in a body',
    marker: 'ALERTA',
    write: (doc) => {
      const body = firstBody(doc);
      body.push([element('script', new Y.XmlText('ALERTA'))]);
      body.push([element('paragraph', new Y.XmlText('texto '), element('iframe', new Y.XmlText('ALERTA')))]);
    },
  },
  {
    name: 'a body nested deeper than the limit',
    marker: 'HONDO',
    write: (doc) => {
      let inner: Y.XmlElement = element('paragraph', new Y.XmlText('HONDO'));
      for (let i = 0; i < 200; i++) inner = element('blockquote', inner);
      firstBody(doc).push([inner]);
    },
  },
  {
    name: 'nested garbage in meta',
    marker: 'BASURA',
    write: (doc) => {
      const meta = doc.getMap('meta');
      meta.set('junk', new Y.Map<unknown>([['deep', new Y.Array<unknown>()], ['texto', new Y.Text('BASURA')]]));
      meta.set('question', 7);
      meta.set('otro', { a: ['BASURA'] });
    },
  },
  {
    name: 'garbage in the trash',
    marker: 'PAPELERA',
    write: (doc) => doc.getArray('trash').push(['PAPELERA', 3, card({ id: 5, text: 'PAPELERA' }), card({ id: 't1', text: new Y.Text('PAPELERA'), deletedAt: 'ayer' })]),
  },
  { name: 'an unknown top-level root with text', marker: 'SECRETO', write: (doc) => doc.getText('intruso').insert(0, 'SECRETO') },
];

/** Writes `poison` with a good card beside it, in one transaction; returns the good card's text. */
export function writePoison(doc: Y.Doc, poison: Poison): string {
  const good = `BUENA ${poison.name}`;
  doc.transact(() => {
    addCard(doc, { text: good, author: 'Eva' });
    poison.write(doc);
  });
  return good;
}

/** Every poison of the table at once (for a board poisoned behind the server's back). */
export function writeAllPoisons(doc: Y.Doc): void {
  doc.transact(() => {
    for (const poison of POISONS) poison.write(doc);
  });
}

// ---- the test's own reading of the shape ------------------------------------------

type AnyType = Y.AbstractType<unknown>;

const liveItems = (type: AnyType): Y.Item[] => {
  const items: Y.Item[] = [];
  for (let n = type._start; n; n = n.right) if (!n.deleted) items.push(n);
  for (const n of type._map.values()) if (!n.deleted) items.push(n);
  return items;
};

function fieldProblem(shape: FieldShape, value: unknown): string | null {
  switch (shape.type) {
    case 'string':
      return typeof value === 'string' && value.length <= shape.max && (!shape.oneOf || shape.oneOf.includes(value)) ? null : `is ${String(value).slice(0, 20)}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'not a number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'not a boolean';
    case 'Y.Text':
      return value instanceof Y.Text && !(value instanceof Y.XmlText) && value.length <= shape.max ? null : 'not a short Y.Text';
    case 'Y.XmlFragment': {
      if (!(value instanceof Y.XmlFragment) || value instanceof Y.XmlElement) return 'not a Y.XmlFragment';
      const stack: Array<[Y.XmlFragment | Y.XmlElement, number]> = [[value, 0]];
      while (stack.length > 0) {
        const [node, depth] = stack.pop()!;
        for (const child of node.toArray()) {
          if (child instanceof Y.XmlText) continue;
          if (!(child instanceof Y.XmlElement) || !shape.nodes.includes(child.nodeName)) return `holds ${child instanceof Y.XmlElement ? child.nodeName : typeof child}`;
          if (depth + 1 > shape.maxDepth) return 'nests too deep';
          stack.push([child, depth + 1]);
        }
      }
      return null;
    }
  }
}

/** What on `doc` does not fit BOARD_SHAPE ([] for a clean board). */
export function shapeProblems(doc: Y.Doc): string[] {
  const problems: string[] = [];
  for (const [name, type] of doc.share) {
    const root = (BOARD_SHAPE as Record<string, (typeof BOARD_SHAPE)[keyof typeof BOARD_SHAPE] | undefined>)[name];
    if (!root) {
      if (liveItems(type as AnyType).length > 0) problems.push(`unknown root ${name} holds something`);
      continue;
    }
    const checkMap = (label: string, map: unknown, fields: Readonly<Record<string, FieldShape>>) => {
      if (!(map instanceof Y.Map)) return problems.push(`${label}: not a Y.Map`);
      for (const [key, value] of (map as Y.Map<unknown>).entries()) {
        const shape = fields[key];
        const problem = shape ? fieldProblem(shape, value) : 'not a field';
        if (problem) problems.push(`${label}.${key}: ${problem}`);
      }
      for (const [key, shape] of Object.entries(fields)) if (shape.required && !(map as Y.Map<unknown>).has(key)) problems.push(`${label}.${key}: missing`);
      return undefined;
    };
    if (root.type === 'Y.Map') checkMap(name, doc.getMap(name), root.fields);
    else for (const item of doc.getArray(name).toArray()) checkMap(`${name}[]`, item, root.of);
  }
  return problems;
}
