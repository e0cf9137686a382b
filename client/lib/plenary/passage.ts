// The passage a person selected in a card or a section, to pull alone: a card's textarea
// selection while the textarea has focus (a blurred one keeps its last selection, which is
// nobody's choice any more), else the page's selection when it lies wholly inside the
// source's text.

/** Where a source's own text is, under the element that holds the source and its pull button. */
const TEXT = 'textarea.text, .ProseMirror, [data-passage-scope]';

export function selectedPassage(host: Element | null): string | null {
  const scope = host?.querySelector(TEXT);
  if (!scope) return null;
  const doc = scope.ownerDocument;
  if (scope instanceof HTMLTextAreaElement) {
    if (doc.activeElement !== scope) return null;
    return words(scope.value.slice(scope.selectionStart, scope.selectionEnd));
  }
  const selection = doc.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!scope.contains(range.startContainer) || !scope.contains(range.endContainer)) return null;
  return words(selection.toString());
}

const words = (text: string): string | null => (text.trim() === '' ? null : text.trim());
