// The PDF's fonts (DejaVu, from the `dejavu-fonts-ttf` package: every Spanish character
// and the superscript digits of footnote marks) and its measures and colours.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const FONT_FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
} as const;
export type FontName = keyof typeof FONT_FILES;

export const fontDir = () => join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export const STYLE = {
  margin: { top: 64, bottom: 76, left: 64, right: 64 },
  body: 10.5,
  small: 9,
  lineGap: 2.5,
  ink: '#1d1d1f',
  muted: '#5f6368',
  link: '#0b57d0',
  rule: '#c4c9d0',
  shade: '#f1f3f5',
  heading: [20, 16, 13, 11.5, 11, 10.5] as const,
};

export interface Run {
  text: string;
  font: FontName;
  link?: string;
  /** A named destination in this document to jump to (a link mark "#name"). */
  goTo?: string;
  underline?: boolean;
  strike?: boolean;
  /** The mark of footnote n. */
  note?: number;
  /** The number that opens footnote n's text (links back to the mark). */
  back?: number;
}

