// Consolidated → one self-contained HTML file: no external resource, readable on a
// screen, and printable (A4, each group on a new page, page numbers where the
// browser supports page margin boxes). Footnotes are numbered across the document
// and listed at the end of each group, linked both ways.
import { groupSubtitle, groupTitle, type Consolidated } from '../../shared/consolidated.js';
import type { Block, Inline } from '../../shared/rich-text.js';
import { nestInlines, type InlineNode } from './inline-tree.js';
import { clusterBlocks } from './annex-clusters.js';
import { dateLine, labelsFor, type Labels } from './labels.js';
import { recommendationBlocks } from './synthesis-blocks.js';
import { safeHref } from '../../shared/safe-href.js';
import { bodyHeadingDepth } from './outline.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const STYLE = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --rule: #d0d4da; --accent: #0b57d0; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 16px/1.6 "Noto Sans", "DejaVu Sans", "Segoe UI", system-ui, sans-serif; }
main { max-width: 48rem; margin: 0 auto; padding: 2.5rem 1.5rem 4rem; overflow-wrap: break-word; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .25rem; }
h2 { font-size: 1.5rem; line-height: 1.25; margin: 2.5rem 0 .75rem; padding-bottom: .25rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; }
h4 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
h5 { font-size: 1rem; margin: 1.25rem 0 .4rem; }
h6 { font-size: .9rem; margin: 1.1rem 0 .35rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.date { color: var(--muted); margin: 0 0 1.5rem; }
.subtitle { font-weight: 700; margin: 0 0 .75rem; }
nav ol { padding-left: 1.5rem; }
a { color: var(--accent); }
ul, ol { padding-left: 1.6rem; }
li { margin: .3rem 0; }
li > p { margin: .25rem 0; }
blockquote { margin: 1rem 0; padding: .25rem 1rem; border-left: 4px solid var(--rule); color: #3c4043; }
blockquote.question { font-style: italic; }
pre { max-width: 100%; background: #f4f5f7; padding: .75rem 1rem; overflow-x: auto; border-radius: 6px; white-space: pre; overflow-wrap: normal; tab-size: 4; line-height: 1.2; }
.table-wrap { max-width: 100%; overflow-x: auto; }
code { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: .92em; }
:not(pre) > code { background: #f1f3f4; padding: .05em .3em; border-radius: 4px; }
table { border-collapse: collapse; margin: 1rem 0; width: 100%; }
th, td { border: 1px solid var(--rule); padding: .35rem .6rem; vertical-align: top; text-align: left; }
th { background: #f4f5f7; }
td > p, th > p { margin: 0; }
hr { border: 0; border-top: 1px solid var(--rule); margin: 2rem 0; }
sup.fnref a { text-decoration: none; }
.footnotes { margin-top: 1.5rem; padding-top: .5rem; border-top: 1px solid var(--rule); font-size: .9rem; color: #3c4043; }
.footnotes h4 { margin: .5rem 0; font-size: .95rem; }
.footnotes ol { margin: 0; }
@page { size: A4; margin: 2cm 2cm 2.2cm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #5f6368; } }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  section.group + section.group, section.annex { break-before: page; }
  h2, h3, h4, h5, h6 { break-after: avoid; }
  table, blockquote, li { break-inside: avoid; }
  pre { white-space: pre-wrap; overflow-x: visible; }
  a { color: inherit; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .85em; color: #5f6368; word-break: break-all; }
  sup.fnref a::after, nav a::after { content: none; }
}
`;

class Notes {
  #next = 1;
  pending: Array<{ n: number; content: string }> = [];
  ref(content: string): string {
    const n = this.#next++;
    this.pending.push({ n, content });
    return `<sup class="fnref"><a href="#fn-${n}" id="fnref-${n}">${n}</a></sup>`;
  }
  flush(labels: Labels): string {
    if (this.pending.length === 0) return '';
    const first = this.pending[0]?.n ?? 1;
    const items = this.pending
      .map(({ n, content }) => `<li id="fn-${n}"><p>${escapeHtml(content)} <a href="#fnref-${n}" aria-label="↩">↩</a></p></li>`)
      .join('\n');
    this.pending = [];
    return `<section class="footnotes"><h4>${escapeHtml(labels.notes)}</h4>\n<ol start="${first}">\n${items}\n</ol></section>\n`;
  }
}

function inlineHtml(nodes: InlineNode[], notes: Notes): string {
  let out = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        out += node.code ? `<code>${escapeHtml(node.text)}</code>` : escapeHtml(node.text);
        break;
      case 'hardBreak':
        out += '<br>';
        break;
      case 'footnote':
        out += notes.ref(node.content);
        break;
      case 'span': {
        const inner = inlineHtml(node.children, notes);
        const m = node.mark;
        if (m === 'bold') out += `<strong>${inner}</strong>`;
        else if (m === 'italic') out += `<em>${inner}</em>`;
        else if (m === 'strike') out += `<s>${inner}</s>`;
        else if (m === 'underline') out += `<u>${inner}</u>`;
        else {
          const href = safeHref(m.link);
          out += href ? `<a href="${escapeHtml(href)}">${inner}</a>` : inner;
        }
        break;
      }
    }
  }
  return out;
}

const inlines = (content: Inline[], notes: Notes) => inlineHtml(nestInlines(content), notes);

function blocksHtml(blocks: Block[], notes: Notes): string {
  let out = '';
  for (const b of blocks) {
    switch (b.type) {
      case 'paragraph':
        out += `<p>${inlines(b.content, notes)}</p>\n`;
        break;
      case 'heading': {
        const h = bodyHeadingDepth(b.level);
        out += `<h${h}>${inlines(b.content, notes)}</h${h}>\n`;
        break;
      }
      case 'list': {
        const tag = b.ordered ? 'ol' : 'ul';
        const start = b.ordered && b.start !== 1 ? ` start="${b.start}"` : '';
        out += `<${tag}${start}>\n${b.items.map((item) => `<li>${tightItem(item, notes)}</li>\n`).join('')}</${tag}>\n`;
        break;
      }
      case 'table':
        out += `<div class="table-wrap"><table>\n${b.rows
          .map((row) => `<tr>${row.map((cell, c) => {
            const tag = cell.header ? 'th' : 'td';
            const align = cell.align ?? b.rows[0]?.[c]?.align; // a column takes its header's alignment, as in GFM
            const attrs = (cell.colspan > 1 ? ` colspan="${cell.colspan}"` : '') + (cell.rowspan > 1 ? ` rowspan="${cell.rowspan}"` : '') + (align ? ` style="text-align:${align}"` : '');
            return `<${tag}${attrs}>${blocksHtml(cell.content, notes).trim()}</${tag}>`;
          }).join('')}</tr>\n`)
          .join('')}</table></div>\n`;
        break;
      case 'code':
        out += `<pre><code${b.language ? ` class="language-${escapeHtml(b.language)}"` : ''}>${escapeHtml(b.text)}</code></pre>\n`;
        break;
      case 'quote':
        out += `<blockquote>\n${blocksHtml(b.content, notes)}</blockquote>\n`;
        break;
      case 'rule':
        out += '<hr>\n';
        break;
    }
  }
  return out;
}

/** A list item whose only text is one paragraph reads without a <p> margin. */
function tightItem(item: Block[], notes: Notes): string {
  const [first, ...rest] = item;
  if (first?.type === 'paragraph') return inlines(first.content, notes) + (rest.length ? '\n' + blocksHtml(rest, notes) : '');
  return blocksHtml(item, notes);
}

const anchor = (i: number) => `grupo-${i + 1}`;

export function renderHtml(model: Consolidated): string {
  const w = model.workshop;
  const labels = labelsFor(w.language);
  const notes = new Notes();
  const parts: string[] = [];
  parts.push(`<header>\n<h1>${escapeHtml(w.title)}</h1>\n<p class="date">${escapeHtml(dateLine(w))}</p>\n</header>\n`);
  if (model.groups.length > 1) {
    parts.push(`<nav><h2>${escapeHtml(labels.contents)}</h2>\n<ol>\n${model.groups.map((g, i) => `<li><a href="#${anchor(i)}">${escapeHtml(groupTitle(g))}</a></li>\n`).join('')}</ol></nav>\n`);
  }
  if (model.synthesis) {
    const s = model.synthesis;
    const chapter = new Map(model.groups.map((g, i) => [g.id, `#${anchor(i)}`]));
    let html = `<section class="synthesis" id="sintesis">\n<h2>${escapeHtml(labels.synthesis)}</h2>\n`;
    if (s.title.trim() !== '') html += `<p class="subtitle">${escapeHtml(s.title)}</p>\n`;
    for (const sec of s.sections) {
      if (sec.heading.trim() !== '') html += `<h3>${escapeHtml(sec.heading)}</h3>\n`;
      html += blocksHtml(sec.body, notes);
    }
    if (s.items.length > 0) {
      html += `<h3>${escapeHtml(labels.recommendations)}</h3>\n`;
      html += blocksHtml(recommendationBlocks(s.items, labels, (id) => chapter.get(id) ?? null), notes);
    }
    html += notes.flush(labels);
    parts.push(html + '</section>\n');
  }
  model.groups.forEach((g, i) => {
    let html = `<section class="group" id="${anchor(i)}">\n<h2>${escapeHtml(groupTitle(g))}</h2>\n`;
    if (groupSubtitle(g)) html += `<p class="subtitle">${escapeHtml(groupSubtitle(g))}</p>\n`;
    if (g.question) html += `<blockquote class="question"><p>${escapeHtml(g.question)}</p></blockquote>\n`;
    for (const s of g.sections) {
      if (s.heading.trim() !== '') html += `<h3>${escapeHtml(s.heading)}</h3>\n`;
      html += blocksHtml(s.body, notes);
    }
    html += notes.flush(labels);
    parts.push(html + '</section>\n');
  });
  if (model.annex) {
    let html = `<section class="annex">\n<h2>${escapeHtml(labels.annex)}</h2>\n`;
    for (const g of model.annex) {
      html += `<h3>${escapeHtml(g.title)}</h3>\n`;
      if (g.cards.length === 0) {
        html += `<p>${escapeHtml(labels.noCards)}</p>\n`;
        continue;
      }
      html += `<table>\n<tr><th style="text-align:right">${escapeHtml(labels.rank)}</th><th>${escapeHtml(labels.card)}</th><th style="text-align:right">${escapeHtml(labels.dots)}</th><th style="text-align:right">${escapeHtml(labels.voters)}</th><th>${escapeHtml(labels.author)}</th></tr>\n`;
      html += g.cards
        .map((c, i) => `<tr><td style="text-align:right">${i + 1}</td><td>${escapeHtml(c.text)}</td><td style="text-align:right">${c.dots}</td><td style="text-align:right">${c.voters}</td><td>${escapeHtml(c.author)}</td></tr>\n`)
        .join('');
      html += '</table>\n';
      if (g.clusters) html += blocksHtml(clusterBlocks(g.clusters, labels), notes);
    }
    parts.push(html + '</section>\n');
  }
  return `<!doctype html>
<html lang="${w.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Relatoría">
<meta name="date" content="${escapeHtml(w.date)}">
<title>${escapeHtml(w.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${parts.join('')}</main>
</body>
</html>
`;
}
