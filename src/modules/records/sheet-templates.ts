import type { DocumentBody } from '../../contracts/records.js';

/**
 * Starting structures for the sheet editor, per CL006 specialty. Written by the team as headings and
 * prompts to fill in; not clinical guidance and never signed as they are.
 */
export interface SheetTemplate {
  id: string;
  specialtyCode: string;
  name: { bg: string; en: string };
  body: Partial<Omit<DocumentBody, 'diagnoses' | 'medications'>>;
}

export const SHEET_TEMPLATES: readonly SheetTemplate[] = [
  {
    id: 'general-remote-consultation',
    specialtyCode: '*',
    name: { bg: 'Дистанционна консултация (общ)', en: 'Remote consultation (general)' },
    body: { purpose: 'consultation', anamnesis: 'Оплаквания: \nДавност: \nПридружаващи заболявания: \nПриемани медикаменти: ', objectiveFindings: 'Оценено по видео: \nСъобщени от пациента стойности: ', followUp: '' },
  },
  {
    id: 'cardiology-hypertension-control',
    specialtyCode: '1020',
    name: { bg: 'Контрол на артериална хипертония', en: 'Hypertension follow-up' },
    body: { purpose: 'dispensary', anamnesis: 'Домашни измервания на АН (последни 7 дни): \nОплаквания (главоболие, световъртеж, задух): ', objectiveFindings: 'АН: / mmHg, пулс: /min (по данни на пациента)', testsReviewed: 'ЕКГ: \nЛипиден профил: ', followUp: 'Контрол след 3 месеца.' },
  },
  {
    id: 'internal-medicine-results-review',
    specialtyCode: '1004',
    name: { bg: 'Преглед на изследвания', en: 'Results review' },
    body: { purpose: 'consultation', testsReviewed: 'ПКК: \nБиохимия: \nУрина: ', anamnesis: 'Повод за изследванията: ' },
  },
  {
    id: 'paediatrics-acute-infection',
    specialtyCode: '1046',
    name: { bg: 'Остра инфекция при дете', en: 'Acute infection in a child' },
    body: { purpose: 'consultation', anamnesis: 'Температура (макс., давност): \nХранене и прием на течности: \nДиуреза: ', objectiveFindings: 'Общо състояние по видео: \nДишане: ', followUp: 'При влошаване — преглед на място.' },
  },
  {
    id: 'gp-repeat-prescription',
    specialtyCode: '0000',
    name: { bg: 'Повторно предписание при хронично заболяване', en: 'Repeat prescription, chronic condition' },
    body: { purpose: 'dispensary', anamnesis: 'Хронично заболяване: \nПоносимост към терапията: ', therapy: 'Продължава: ' },
  },
];

/** Editor templates for a specialty (and the general ones). */
export function listTemplates(specialtyCode?: string): SheetTemplate[] {
  return SHEET_TEMPLATES.filter((t) => t.specialtyCode === '*' || !specialtyCode || t.specialtyCode === specialtyCode);
}
