import { describe, expect, it } from 'vitest';
import { emptyTemplateLines, signingIssues } from './records-signing.js';
import { DocumentBodySchema } from './records.js';

describe('emptyTemplateLines (docs/records.md: template prompts are never signed unanswered)', () => {
  it('finds prompts with nothing after the colon, section by section, and leaves answered lines alone', () => {
    const body = {
      anamnesis: 'Оплаквания: главоболие\nДавност: \nПридружаващи заболявания:',
      testsReviewed: 'ЕКГ: \nЛипиден профил: LDL 3,1 mmol/l',
      recommendations: 'Домашно измерване: сутрин и вечер.',
    };
    expect(emptyTemplateLines(body)).toEqual([
      { section: 'anamnesis', line: 'Давност:' },
      { section: 'anamnesis', line: 'Придружаващи заболявания:' },
      { section: 'testsReviewed', line: 'ЕКГ:' },
    ]);
  });

  it('a line that is only a value with a colon inside, or free text, is not a prompt', () => {
    expect(emptyTemplateLines({ objectiveFindings: 'АН 130/80, пулс 72: ритмичен', therapy: 'Продължава лечението.' })).toEqual([]);
    expect(emptyTemplateLines({})).toEqual([]);
  });
});

describe('signingIssues (Art. 20(1): what the sheet needs before it is signed)', () => {
  it('an empty ambulatory sheet names every missing section; a complete one has none', () => {
    const empty = DocumentBodySchema.parse({});
    expect(signingIssues('ambulatory_sheet', empty).map((i) => i.pointer)).toEqual(['#/body/diagnoses', '#/body/anamnesis', '#/body/objectiveFindings', '#/body/recommendations']);
    const complete = DocumentBodySchema.parse({ anamnesis: 'Главоболие', testsReviewed: 'ЕКГ: синусов ритъм', therapy: 'Режим', diagnoses: [{ code: 'I10', title: 'Есенциална хипертония', rank: 'primary' }] });
    expect(signingIssues('ambulatory_sheet', complete)).toEqual([]);
  });
});
