// The parts of a .docx that say how to read its text: relationships (what a hyperlink
// points to; and which embedded objects or outside content the document would bring in,
// refused here, never followed), styles (a paragraph's role by its style's name) and
// numbering (which list levels are bulleted or numbered, from which number).
import { DOCX_CODES } from '../../shared/docx-import.js';
import { HttpError } from '../http/http-error.js';
import { elements, parseXml, val, type XmlElement } from './docx-xml.js';

/** A paragraph's role, from its style (or outline level). */
export type ParagraphRole = 'paragraph' | 'title' | 'subtitle' | 'heading' | 'question' | 'boardTitle' | 'quote' | 'code' | 'rule';

export const embedded = (what: string) =>
  new HttpError(422, DOCX_CODES.embedded, `The document embeds ${what}, which an import does not open; remove it (or paste it as text) and try again`);
export const external = (what: string) =>
  new HttpError(422, DOCX_CODES.external, `The document links to outside content (${what}), which an import never fetches; remove it and try again`);

export interface Relationship {
  /** The type's last segment: hyperlink, image, oleObject… */
  type: string;
  target: string;
  external: boolean;
}

/** Relationship types that bring another object or document into the text. */
const EMBEDDING_TYPES = new Set(['oleObject', 'package', 'aFChunk', 'subDocument', 'control', 'activeXControl', 'activeXControlBinary']);
/** Elements that place one (or an ActiveX control) in the text. */
export const EMBEDDING_ELEMENTS: Record<string, string> = {
  'w:object': 'an OLE object',
  'o:OLEObject': 'an OLE object',
  'w:control': 'an ActiveX control',
  'w:altChunk': 'another document (altChunk)',
  'w:subDoc': 'a subdocument',
};

export function readRelationships(source: string | undefined, part: string): Map<string, Relationship> {
  const rels = new Map<string, Relationship>();
  if (!source) return rels;
  for (const rel of elements(parseXml(source, part), 'pr:Relationship')) {
    const type = (rel.attrs.Type ?? '').split('/').at(-1) ?? '';
    const target = rel.attrs.Target ?? '';
    const isExternal = rel.attrs.TargetMode === 'External';
    if (EMBEDDING_TYPES.has(type)) throw embedded(type === 'aFChunk' ? 'another document (altChunk)' : `an object (${type})`);
    if (isExternal && type !== 'hyperlink') throw external(`${type}: ${target.slice(0, 80)}`);
    if (rel.attrs.Id) rels.set(rel.attrs.Id, { type, target, external: isExternal });
  }
  return rels;
}

export interface StyleInfo {
  name: string;
  basedOn?: string;
  pPr?: XmlElement;
  rPr?: XmlElement;
}

export const MONOSPACE = /^(consolas|courier( new)?|menlo|monaco|lucida console|source code pro|dejavu sans mono|liberation mono|cascadia (code|mono)|fira (code|mono)|roboto mono)$/i;
export const ROLE_BY_NAME: Array<[RegExp, ParagraphRole]> = [
  [/^title$/i, 'title'],
  [/^subtitle$/i, 'subtitle'],
  [/^guiding question$/i, 'question'],
  [/^board title$/i, 'boardTitle'],
  [/^(quote|intense quote|block text)$/i, 'quote'],
  [/^(code|source code|html preformatted|preformatted text|plain text)$/i, 'code'],
  [/^horizontal line$/i, 'rule'],
];

export interface Numbering {
  /** numId → level → list kind. */
  levels: Map<string, Map<number, { ordered: boolean; start: number }>>;
}

/** A list's first number (0 is one; a missing or broken one is 1). */
const count = (v: string | undefined) => {
  const n = Number.parseInt(v ?? '', 10);
  return Number.isFinite(n) && n >= 0 ? n : 1;
};

export function readNumbering(source: string | undefined): Numbering {
  const levels: Numbering['levels'] = new Map();
  if (!source) return { levels };
  const root = parseXml(source, 'word/numbering.xml');
  const abstract = new Map<string, XmlElement>();
  for (const a of elements(root, 'w:abstractNum')) abstract.set(a.attrs['w:abstractNumId'] ?? '', a);
  for (const num of elements(root, 'w:num')) {
    const id = num.attrs['w:numId'];
    const def = abstract.get(val(num, 'w:abstractNumId') ?? '');
    if (id === undefined) continue;
    const map = new Map<number, { ordered: boolean; start: number }>();
    for (const lvl of elements(def, 'w:lvl')) {
      const format = val(lvl, 'w:numFmt') ?? 'decimal';
      map.set(Number(lvl.attrs['w:ilvl'] ?? 0), { ordered: format !== 'bullet' && format !== 'none', start: count(val(lvl, 'w:start')) });
    }
    for (const override of elements(num, 'w:lvlOverride')) {
      const at = Number(override.attrs['w:ilvl'] ?? 0);
      const start = val(override, 'w:startOverride');
      const known = map.get(at);
      if (start !== undefined && known) map.set(at, { ...known, start: count(start) });
    }
    levels.set(id, map);
  }
  return { levels };
}
