// English: the keys of es-operations.ts.
import type { Message } from './catalogue.js';
import type { esOperations } from './es-operations.js';

export const enOperations = {
  'update.title': 'Relatoría has been updated',
  'update.body': 'This page is from an earlier version and no longer understands the server. Reload it to carry on.',
  'update.reload': 'Reload the page',
  'session.error.outdated': 'This page is out of date: reload it',
  'cluster.cutTitle': 'Not connected to the other servers',
  'cluster.cutBody': 'What you write is saved, but people connected through another server will see it once the connection is back.',

  'deleted.title': 'This workshop was deleted',
  'deleted.body': 'The workshop and everything in it were deleted: boards, versions, participants and links.',
  'closed.4410': 'This workshop was deleted.',

  'danger.title': 'Danger zone',
  'danger.delete.title': 'Delete the workshop',
  'danger.delete.body':
    'Erases its boards and their versions, the session, the participants and the links for good. Anyone connected will see that the workshop is gone. This cannot be undone. Templates you saved from it are kept.',
  'danger.delete.open': 'Delete the workshop…',
  'danger.delete.confirmLabel': 'To confirm, type the workshop’s title: {title}',
  'danger.delete.confirm': 'Delete for good',
  'danger.delete.deleting': 'Deleting…',
  'danger.delete.cancel': 'Cancel',
} as const satisfies Record<keyof typeof esOperations, Message>;
