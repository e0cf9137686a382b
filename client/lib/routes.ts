// The client's routes, parsed from a path. Pure, so it is tested without a browser.
import { isPlenaryBoard } from '../../shared/doc-name.js';

export type Route =
  | { name: 'home' }
  | { name: 'join'; code: string }
  | { name: 'facilitate'; workshopId: string }
  | { name: 'present'; workshopId: string }
  | { name: 'board'; workshopId: string; groupId: string }
  | { name: 'plenary'; workshopId: string }
  | { name: 'export'; workshopId: string }
  | { name: 'notFound' };

const ID = '([A-Za-z0-9_-]{1,64})';
const PATTERNS: Array<[RegExp, (m: string[]) => Route]> = [
  [/^\/$/, () => ({ name: 'home' })],
  [/^\/join\/([^/]{1,32})\/?$/, (m) => ({ name: 'join', code: m[1] ?? '' })],
  [new RegExp(`^/w/${ID}/facilitate/?$`), (m) => ({ name: 'facilitate', workshopId: m[1] ?? '' })],
  [new RegExp(`^/w/${ID}/present/?$`), (m) => ({ name: 'present', workshopId: m[1] ?? '' })],
  [new RegExp(`^/w/${ID}/export/?$`), (m) => ({ name: 'export', workshopId: m[1] ?? '' })],
  [new RegExp(`^/w/${ID}/(?:plenary|g/plenary)/?$`), (m) => ({ name: 'plenary', workshopId: m[1] ?? '' })],
  [new RegExp(`^/w/${ID}/g/${ID}/?$`), (m) => ({ name: 'board', workshopId: m[1] ?? '', groupId: m[2] ?? '' })],
];

export function matchRoute(pathname: string): Route {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return { name: 'notFound' };
  }
  for (const [pattern, build] of PATTERNS) {
    const m = pattern.exec(path);
    if (m) return build([...m]);
  }
  return { name: 'notFound' };
}

export const paths = {
  home: () => '/',
  join: (code: string) => `/join/${encodeURIComponent(code)}`,
  facilitate: (workshopId: string) => `/w/${workshopId}/facilitate`,
  present: (workshopId: string) => `/w/${workshopId}/present`,
  /** A group's board; the plenary board's id leads to the plenary page (follow mode, spotlight). */
  board: (workshopId: string, groupId: string) => (isPlenaryBoard(groupId) ? `/w/${workshopId}/plenary` : `/w/${workshopId}/g/${groupId}`),
  plenary: (workshopId: string) => `/w/${workshopId}/plenary`,
  export: (workshopId: string) => `/w/${workshopId}/export`,
};

/** Reads `k=…` from a URL fragment such as `#k=token`. */
export function fragmentParam(hash: string, name: string): string | null {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get(name);
  return value === null || value === '' ? null : value;
}
