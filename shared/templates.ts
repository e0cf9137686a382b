// Workshop templates: the groups (with guiding questions and starting sections) and
// the agenda a new workshop begins with.
import type { Language } from './model.js';
import type { PhaseKind } from './session.js';

export interface TemplateGroup {
  name: string;
  question: string;
  /** Section headings each board starts with (default: one "Conclusiones y Recomendaciones"). */
  sections: string[];
}

export interface Template {
  id: string;
  name: string;
  language: Language;
  title: string;
  groups: TemplateGroup[];
  agenda: Array<{ name: string; durationSec: number; kind: PhaseKind }>;
  builtIn: boolean;
}

const CONCLUSIONES = ['Conclusiones y Recomendaciones'];
const minutes = (m: number) => m * 60;

/** Shaped like the workshop whose conclusions are in the fixtures. */
const PROJECT_NETWORK: Template = {
  id: 'red-de-proyectos',
  name: 'Taller de la red de proyectos',
  language: 'es',
  title: 'Taller de intercambio de la red de proyectos',
  builtIn: true,
  groups: [
    { name: 'Grupo A: Sostenibilidad', question: '¿Qué condiciones hacen que los cambios se sostengan cuando el proyecto termina?', sections: CONCLUSIONES },
    { name: 'Grupo B: Cambio Sistémico', question: '¿Cómo dimensionar y promover el cambio sistémico en los mercados en que trabajamos?', sections: CONCLUSIONES },
    { name: 'Grupo C: Articulación de Actores', question: '¿Qué papel juegan los espacios multi-actor, el sector público y el sector privado?', sections: CONCLUSIONES },
    { name: 'Grupo D: Escalamiento', question: '¿Qué se requiere para lograr escalamiento y sostenibilidad?', sections: CONCLUSIONES },
  ],
  agenda: [
    { name: 'Bienvenida', durationSec: minutes(15), kind: 'welcome' },
    { name: 'Lluvia de ideas', durationSec: minutes(20), kind: 'brainstorm' },
    { name: 'Trabajo en grupos', durationSec: minutes(60), kind: 'groupwork' },
    { name: 'Votación', durationSec: minutes(10), kind: 'voting' },
    { name: 'Plenaria', durationSec: minutes(45), kind: 'plenary' },
    { name: 'Cierre', durationSec: minutes(10), kind: 'closing' },
  ],
};

const BLANK_ES: Template = {
  id: 'en-blanco', name: 'En blanco', language: 'es', title: '', builtIn: true,
  groups: [{ name: 'Grupo 1', question: '', sections: CONCLUSIONES }],
  agenda: [],
};

const BLANK_EN: Template = {
  id: 'blank', name: 'Blank', language: 'en', title: '', builtIn: true,
  groups: [{ name: 'Group 1', question: '', sections: ['Conclusions and Recommendations'] }],
  agenda: [],
};

const BLANK_PT: Template = {
  id: 'em-branco', name: 'Em branco', language: 'pt', title: '', builtIn: true,
  groups: [{ name: 'Grupo 1', question: '', sections: ['Conclusões e Recomendações'] }],
  agenda: [],
};

export const BUILT_IN_TEMPLATES: readonly Template[] = [PROJECT_NETWORK, BLANK_ES, BLANK_EN, BLANK_PT];
