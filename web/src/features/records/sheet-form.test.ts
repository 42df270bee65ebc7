import { describe, expect, it } from 'vitest';
import type { DocumentBody, Icd10Entry } from './api.js';
import { addDiagnosis, applyTemplate, bodyFromForm, fieldOfPointer, formFromBody, makePrimary, removeDiagnosis } from './sheet-form.js';

const entry = (code: string): Icd10Entry => ({ code, titleBg: `Заглавие ${code}`, titleEn: `Title ${code}`, isChronic: null, source: 'demo' });
const body: DocumentBody = { purpose: 'consultation', anamnesis: 'Главоболие', diagnoses: [], medications: [{ name: 'Амлодипин 5 mg' }] };

describe('sheet form', () => {
  it('round-trips a body, leaving out empty text and empty medication rows but keeping a row with only a dosage', () => {
    const form = formFromBody(body);
    expect(bodyFromForm(form)).toEqual({ purpose: 'consultation', anamnesis: 'Главоболие', diagnoses: [], medications: [{ name: 'Амлодипин 5 mg' }] });
    const edited = { ...form, text: { ...form.text, therapy: '   ' }, medications: [{ name: '', dosage: '' }, ...form.medications, { name: '', dosage: '1 x 1' }] };
    expect(bodyFromForm(edited).therapy).toBeUndefined();
    expect(bodyFromForm(edited).medications).toEqual([{ name: 'Амлодипин 5 mg' }, { name: '', dosage: '1 x 1' }]);
    // The server's pointer into the rows sent maps back to the row on the screen.
    expect(fieldOfPointer('#/body/medications/1/name', edited)).toEqual({ field: 'medications', row: 2, part: 'name' });
    expect(fieldOfPointer('#/body/objectiveFindings', edited)).toEqual({ field: 'objectiveFindings' });
    expect(fieldOfPointer('#/if-match', edited)).toBeNull();
  });

  it('keeps exactly one primary diagnosis: the first added, the chosen one, or the first left after a removal', () => {
    let list = addDiagnosis([], entry('I10')) ?? [];
    list = addDiagnosis(list, entry('R51')) ?? [];
    expect(list.map((d) => [d.code, d.rank, d.title])).toEqual([
      ['I10', 'primary', 'Заглавие I10'],
      ['R51', 'additional', 'Заглавие R51'],
    ]);
    expect(addDiagnosis(list, entry('I10'))).toBeNull();
    list = makePrimary(list, 'R51');
    expect(list.map((d) => d.rank)).toEqual(['additional', 'primary']);
    expect(removeDiagnosis(list, 'R51').map((d) => [d.code, d.rank])).toEqual([['I10', 'primary']]);
  });

  it('applies a template into empty fields only; the purpose only on a blank sheet', () => {
    const tpl = { id: 't', specialtyCode: '1020', name: { bg: 'x', en: 'x' }, body: { purpose: 'dispensary' as const, anamnesis: 'Шаблон', testsReviewed: 'ЕКГ: ' } };
    const written = applyTemplate(formFromBody(body), tpl);
    expect(written.form.text.anamnesis).toBe('Главоболие');
    expect(written.form.text.testsReviewed).toBe('ЕКГ: ');
    expect(written.form.purpose).toBe('consultation');
    expect([written.filled, written.kept]).toEqual([['testsReviewed'], ['anamnesis']]);
    const blank = applyTemplate(formFromBody({ purpose: 'consultation', diagnoses: [], medications: [] }), tpl);
    expect(blank.form.purpose).toBe('dispensary');
  });
});
