// Brazilian Portuguese: every key of es-operations.ts, translated.
import type { Message } from './catalogue.js';
import type { esOperations } from './es-operations.js';

export const ptOperations = {
  'update.title': 'A Relatoría foi atualizada',
  'update.body': 'Esta página é de uma versão anterior e não se entende mais com o servidor. Recarregue-a para continuar.',
  'update.reload': 'Recarregar a página',
  'session.error.outdated': 'Esta página está desatualizada: recarregue-a',
  'cluster.cutTitle': 'Sem conexão com os outros servidores',
  'cluster.cutBody': 'O que você escreve fica salvo, mas quem se conectou por outro servidor verá quando a conexão voltar.',

  'deleted.title': 'Esta oficina foi excluída',
  'deleted.body': 'A oficina e tudo o que ela continha foram excluídos: quadros, versões, participantes e links.',
  'closed.4410': 'Esta oficina foi excluída.',

  'danger.title': 'Zona de perigo',
  'danger.delete.title': 'Excluir a oficina',
  'danger.delete.body':
    'Apaga para sempre os seus quadros e versões, a sessão, os participantes e os links. Quem estiver conectado verá que a oficina não existe mais. Não é possível desfazer. Os modelos que você salvou a partir dela são mantidos.',
  'danger.delete.open': 'Excluir a oficina…',
  'danger.delete.confirmLabel': 'Para confirmar, digite o título da oficina: {title}',
  'danger.delete.confirm': 'Excluir para sempre',
  'danger.delete.deleting': 'Excluindo…',
  'danger.delete.cancel': 'Cancelar',
} as const satisfies Record<keyof typeof esOperations, Message>;
