// A destructive action confirmed by typing a name: what counts as typing it.

/** Whether what was typed is the title (accents composed the same way, spaces around ignored). */
export const confirmsTitle = (typed: string, title: string): boolean =>
  typed.normalize('NFC').trim() === title.normalize('NFC').trim() && title.trim() !== '';
