// Portuguese (Brazil) messages of the Word (.docx) import: every key of `es-docx.ts`, translated.
import type { Message } from './catalogue.js';
import type { esDocx } from './es-docx.js';

export const ptDocx: Record<keyof typeof esDocx, Message> = {
  'import.docx.chosen': 'Documento do Word: {name}',
  'import.docx.size': '{size} KB de {max} KB',
  'import.docx.hint': 'São importados seus títulos, negritos e itálicos, listas, tabelas, links e notas de rodapé. Imagens e desenhos ficam de fora.',
  'import.docx.clear': 'Remover o documento',
  'import.docx.tooLarge': 'O documento do Word tem {size} KB; o máximo é {max} KB.',
  'import.docx.notDocx': 'O arquivo não é um documento do Word (.docx). Se for um .doc antigo, abra-o no Word e salve como .docx.',
  'import.docx.drawings': {
    one: '{count} imagem ou desenho ficou de fora: o quadro guarda só texto.',
    other: '{count} imagens ou desenhos ficaram de fora: o quadro guarda só texto.',
  },
  'error.docx_refused': 'Documento do Word recusado',
  'import.refused.docxNotZip': 'O arquivo não é um documento do Word (.docx). Se for um .doc antigo ou protegido por senha, abra-o no Word e salve como .docx sem senha.',
  'import.refused.docxNotWord': 'O arquivo não é um documento do Word válido: está danificado ou não contém o texto de um documento.',
  'import.refused.docxTooLarge': 'O documento é grande demais para importar: descompactado passa do permitido ou tem mais de {max} parágrafos e células. Importe-o em partes.',
  'import.refused.docxEmbedded': 'O documento contém um objeto incorporado (OLE, ActiveX ou outro documento dentro). Remova-o, ou cole seu conteúdo como texto, e tente de novo.',
  'import.refused.docxExternal': 'O documento tem um vínculo com conteúdo externo (uma imagem vinculada, por exemplo), que a importação nunca baixa. Remova-o e tente de novo.',
};
