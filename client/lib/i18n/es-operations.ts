// Spanish: what running the service shows people — a page older than the server, a
// deleted workshop, and the console's danger zone. Spread into es.ts; en-operations.ts
// translates every key.
import type { Message } from './catalogue.js';

export const esOperations = {
  'update.title': 'Relatoría se actualizó',
  'update.body': 'Esta página es de una versión anterior y ya no se entiende con el servidor. Recárgala para seguir.',
  'update.reload': 'Recargar la página',
  'session.error.outdated': 'Esta página está desactualizada: recárgala',
  'cluster.cutTitle': 'Sin conexión con los demás servidores',
  'cluster.cutBody': 'Lo que escribes se guarda, pero quienes se conectaron por otro servidor lo verán cuando vuelva la conexión.',

  'deleted.title': 'Este taller fue eliminado',
  'deleted.body': 'Se eliminó el taller y todo lo que contenía: tableros, versiones, participantes y enlaces.',
  'closed.4410': 'Este taller fue eliminado.',

  'danger.title': 'Zona de peligro',
  'danger.delete.title': 'Eliminar el taller',
  'danger.delete.body':
    'Borra para siempre sus tableros y versiones, la sesión, los participantes y los enlaces. Quien esté conectado verá que el taller ya no existe. No se puede deshacer. Las plantillas que guardaste a partir de él se conservan.',
  'danger.delete.open': 'Eliminar el taller…',
  'danger.delete.confirmLabel': 'Para confirmar, escribe el título del taller: {title}',
  'danger.delete.confirm': 'Eliminar para siempre',
  'danger.delete.deleting': 'Eliminando…',
  'danger.delete.cancel': 'Cancelar',
} as const satisfies Record<string, Message>;
