// One XML part of a .docx as a small element tree, read with saxes (a strict, streaming
// parser: no recursion, no DTD, no entity expansion beyond XML's own five). Namespaces are
// resolved and named by the prefixes Word uses (`w:p`, `r:id`), whatever the file's own
// prefixes are, Strict OOXML's namespaces included. A DOCTYPE is refused (no part has one:
// it is how entity bombs start), and so is nesting past DOCX_LIMITS.xmlDepth, so that the
// readers, which recurse over the tree, stay within a few hundred frames.
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { DOCX_CODES, DOCX_LIMITS } from '../../shared/docx-import.js';
import { HttpError } from '../http/http-error.js';
import { notDocx } from './docx-zip.js';

export interface XmlElement {
  /** `prefix:local`, with the canonical prefixes below; `?:local` in a namespace we do not read. */
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

const PREFIXES: Record<string, string> = {
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main': 'w',
  'http://purl.oclc.org/ooxml/wordprocessingml/main': 'w',
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships': 'r',
  'http://purl.oclc.org/ooxml/officeDocument/relationships': 'r',
  'http://schemas.openxmlformats.org/package/2006/relationships': 'pr',
  'http://schemas.openxmlformats.org/package/2006/content-types': 'ct',
  'http://schemas.openxmlformats.org/markup-compatibility/2006': 'mc',
  'urn:schemas-microsoft-com:vml': 'v',
  'urn:schemas-microsoft-com:office:office': 'o',
  'http://schemas.openxmlformats.org/package/2006/metadata/core-properties': 'cp',
  'http://purl.org/dc/elements/1.1/': 'dc',
};

const qualified = (uri: string, local: string) => (uri === '' ? local : `${PREFIXES[uri] ?? '?'}:${local}`);

/** Parses one part; `part` names it in a refusal. */
export function parseXml(source: string, part: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: false });
  const root: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  let failure: Error | null = null;
  let count = 0;
  parser.on('doctype', () => {
    failure ??= notDocx(`${part} declares a DOCTYPE`);
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (++count > DOCX_LIMITS.xmlElements) {
      failure ??= new HttpError(413, DOCX_CODES.tooLarge, `The document is longer than an import may read (${part} has more than ${DOCX_LIMITS.xmlElements.toLocaleString('en')} elements); import it in parts`);
      return;
    }
    if (stack.length > DOCX_LIMITS.xmlDepth) {
      failure ??= notDocx(`${part} nests more than ${DOCX_LIMITS.xmlDepth} elements deep`);
      return;
    }
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) if (a.prefix !== 'xmlns' && a.name !== 'xmlns') attrs[qualified(a.uri, a.local)] = a.value;
    const el: XmlElement = { name: qualified(tag.uri, tag.local), attrs, children: [] };
    (stack.at(-1) as XmlElement).children.push(el);
    stack.push(el);
  });
  parser.on('closetag', () => {
    if (stack.length > 1) stack.pop();
  });
  parser.on('text', (text) => {
    (stack.at(-1) as XmlElement).children.push(text);
  });
  parser.on('cdata', (text) => {
    (stack.at(-1) as XmlElement).children.push(text);
  });
  parser.on('error', (err) => {
    failure ??= notDocx(`${part} is not well-formed XML (${err.message.slice(0, 120)})`);
  });
  // Fed in slices so that a refusal stops the work early.
  const SLICE = 1 << 16;
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  for (let i = 0; i < text.length && !failure; i += SLICE) parser.write(text.slice(i, i + SLICE));
  if (!failure) parser.close();
  if (failure) throw failure;
  const top = root.children.find((c): c is XmlElement => typeof c !== 'string');
  if (!top) throw notDocx(`${part} is empty`);
  return top;
}

// Small readers over the tree.

export const elements = (el: XmlElement | undefined, name?: string): XmlElement[] =>
  el ? el.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name)) : [];

export const child = (el: XmlElement | undefined, name: string): XmlElement | undefined =>
  el?.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === name);

/** `w:val` of a child (`<w:pStyle w:val="Heading1"/>`). */
export const val = (el: XmlElement | undefined, name: string): string | undefined => child(el, name)?.attrs['w:val'];

/** An on/off property (`<w:b/>`, `<w:b w:val="false"/>`): undefined when absent. */
export function toggle(el: XmlElement | undefined, name: string): boolean | undefined {
  const prop = child(el, name);
  if (!prop) return undefined;
  const v = prop.attrs['w:val'];
  return v === undefined || !['false', '0', 'off', 'none'].includes(v);
}

/** The text directly inside an element. */
export const textOf = (el: XmlElement): string => el.children.filter((c): c is string => typeof c === 'string').join('');
