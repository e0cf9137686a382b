// The words the exported documents add around what the groups wrote, per workshop language.
import type { Language } from '../../shared/model.js';

export interface Labels {
  question: string;
  notes: string;
  annex: string;
  rank: string;
  card: string;
  dots: string;
  voters: string;
  author: string;
  noCards: string;
  /** The annex's lead-in to a group's clusters, and a cluster's name when it has none. */
  clusters: string;
  untitledCluster: string;
  /** Under a group or section that has nothing written yet. */
  noContent: string;
  page: (n: number, of: number) => string;
  contents: string;
  /** The plenary synthesis's chapter, its list of recommendations, and an item's source groups. */
  synthesis: string;
  recommendations: string;
  /** One recommendation, numbered (a slide's heading). */
  recommendation: string;
  sourceGroups: string;
  /** The slide deck's slide of the recommendations in ranked order. */
  ranking: string;
}

const LABELS: Record<Language, Labels> = {
  es: {
    question: 'Pregunta guía',
    notes: 'Notas',
    annex: 'Anexo: tarjetas priorizadas',
    rank: 'N.º',
    card: 'Tarjeta',
    dots: 'Puntos',
    voters: 'Votantes',
    author: 'Autor',
    noCards: 'Sin tarjetas.',
    clusters: 'Agrupaciones',
    untitledCluster: 'Agrupación sin título',
    noContent: 'Sin contenido.',
    page: (n, of) => `Página ${n} de ${of}`,
    contents: 'Grupos',
    synthesis: 'Síntesis',
    recommendations: 'Recomendaciones',
    recommendation: 'Recomendación',
    sourceGroups: 'Origen',
    ranking: 'Priorización',
  },
  en: {
    question: 'Guiding question',
    notes: 'Notes',
    annex: 'Annex: ranked cards',
    rank: '#',
    card: 'Card',
    dots: 'Dots',
    voters: 'Voters',
    author: 'Author',
    noCards: 'No cards.',
    clusters: 'Clusters',
    untitledCluster: 'Untitled cluster',
    noContent: 'No content.',
    page: (n, of) => `Page ${n} of ${of}`,
    contents: 'Groups',
    synthesis: 'Synthesis',
    recommendations: 'Recommendations',
    recommendation: 'Recommendation',
    sourceGroups: 'From',
    ranking: 'Ranking',
  },
  pt: {
    question: 'Pergunta norteadora',
    notes: 'Notas',
    annex: 'Anexo: cartões priorizados',
    rank: 'N.º',
    card: 'Cartão',
    dots: 'Pontos',
    voters: 'Votantes',
    author: 'Autoria',
    noCards: 'Sem cartões.',
    clusters: 'Agrupamentos',
    untitledCluster: 'Agrupamento sem título',
    noContent: 'Sem conteúdo.',
    page: (n, of) => `Página ${n} de ${of}`,
    contents: 'Grupos',
    synthesis: 'Síntese',
    recommendations: 'Recomendações',
    recommendation: 'Recomendação',
    sourceGroups: 'Origem',
    ranking: 'Priorização',
  },
};

/** The language Word files declare (spelling and hyphenation): the variant each of ours is written in. */
export const DOCX_LANGUAGE: Record<Language, string> = { es: 'es-ES', en: 'en-GB', pt: 'pt-BR' };

export const labelsFor = (language: Language): Labels => LABELS[language];

/** "21 de noviembre de 2025", in the workshop's language; the ISO date when it is not one. */
export function longDate(isoDate: string, language: Language): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return isoDate;
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

/** The line under the document's title: date, and place when known. */
export const dateLine = (w: { date: string; place: string; language: Language }): string =>
  [longDate(w.date, w.language), w.place].filter((s) => s.trim() !== '').join(' · ');
