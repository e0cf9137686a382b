// Spanish messages of the Word (.docx) import (the import dialog and the server's refusals).
import type { Message } from './catalogue.js';

export const esDocx = {
  'import.docx.chosen': 'Documento de Word: {name}',
  'import.docx.size': '{size} KB de {max} KB',
  'import.docx.hint': 'Se importan sus títulos, negritas y cursivas, listas, tablas, enlaces y notas al pie. Las imágenes y dibujos se dejan fuera.',
  'import.docx.clear': 'Quitar el documento',
  'import.docx.tooLarge': 'El documento de Word pesa {size} KB; el máximo es {max} KB.',
  'import.docx.notDocx': 'El archivo no es un documento de Word (.docx). Si es un .doc antiguo, ábrelo en Word y guárdalo como .docx.',
  'import.docx.drawings': {
    one: 'Se dejó fuera {count} imagen o dibujo: el tablero guarda solo texto.',
    other: 'Se dejaron fuera {count} imágenes o dibujos: el tablero guarda solo texto.',
  },
  'error.docx_refused': 'Documento de Word rechazado',
  'import.refused.docxNotZip': 'El archivo no es un documento de Word (.docx). Si es un .doc antiguo o está protegido con contraseña, ábrelo en Word y guárdalo como .docx sin contraseña.',
  'import.refused.docxNotWord': 'El archivo no es un documento de Word válido: está dañado o no contiene el texto de un documento.',
  'import.refused.docxTooLarge': 'El documento es demasiado grande para importarlo: se descomprime en más de lo permitido o tiene más de {max} párrafos y celdas. Impórtalo en partes.',
  'import.refused.docxEmbedded': 'El documento contiene un objeto incrustado (OLE, ActiveX u otro documento dentro). Quítalo, o pega su contenido como texto, e inténtalo de nuevo.',
  'import.refused.docxExternal': 'El documento enlaza contenido externo (por ejemplo, una imagen vinculada), que la importación nunca descarga. Quítalo e inténtalo de nuevo.',
} as const satisfies Record<string, Message>;
