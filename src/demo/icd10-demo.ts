import type { RequestCtx } from '../platform/auth/request-context.js';
import type { Icd10Row, RecordsService } from '../modules/records/index.js';

/**
 * A demo subset of common ICD-10 codes with short Bulgarian and English titles WRITTEN BY THE DISTANSIA
 * TEAM (MIT-style, part of this repository). The codes are facts; the titles are our own wording, not
 * the WHO or NHIS texts.
 *
 * Regulatory / licence position: WHO does not permit redistribution of the ICD-10 classification data
 * (who.int/about/licensing/classifications), so Distansia ships no WHO titles. A facility loads the full
 * list from the NHIS nomenclature CL011 (served by the NHIS without sign-in, C001) with
 * `distansia import icd10 <file>`; that data stays in the facility's database and is not redistributed
 * by us. The his.bg terms of reuse are unverified (bulgarian-identifiers-codes-and-nhis.md §4).
 */
export const ICD10_DEMO: readonly Icd10Row[] = [
  { code: 'A09', titleBg: 'Инфекциозен гастроентерит и колит', titleEn: 'Infectious gastroenteritis and colitis', isChronic: false },
  { code: 'B34.9', titleBg: 'Вирусна инфекция, неуточнена', titleEn: 'Viral infection, unspecified', isChronic: false },
  { code: 'E03.9', titleBg: 'Хипотиреоидизъм, неуточнен', titleEn: 'Hypothyroidism, unspecified', isChronic: true },
  { code: 'E05.9', titleBg: 'Хипертиреоидизъм, неуточнен', titleEn: 'Hyperthyroidism, unspecified', isChronic: true },
  { code: 'E10.9', titleBg: 'Захарен диабет тип 1 без усложнения', titleEn: 'Type 1 diabetes without complications', isChronic: true },
  { code: 'E11.9', titleBg: 'Захарен диабет тип 2 без усложнения', titleEn: 'Type 2 diabetes without complications', isChronic: true },
  { code: 'E66.9', titleBg: 'Затлъстяване, неуточнено', titleEn: 'Obesity, unspecified', isChronic: true },
  { code: 'E78.0', titleBg: 'Повишен холестерол в кръвта', titleEn: 'Raised blood cholesterol', isChronic: true },
  { code: 'E78.5', titleBg: 'Нарушение на липидите, неуточнено', titleEn: 'Lipid disorder, unspecified', isChronic: true },
  { code: 'F32.9', titleBg: 'Депресивен епизод, неуточнен', titleEn: 'Depressive episode, unspecified', isChronic: false },
  { code: 'F41.1', titleBg: 'Генерализирана тревожност', titleEn: 'Generalised anxiety', isChronic: true },
  { code: 'F51.0', titleBg: 'Безсъние без органична причина', titleEn: 'Insomnia without organic cause', isChronic: false },
  { code: 'G43.9', titleBg: 'Мигрена, неуточнена', titleEn: 'Migraine, unspecified', isChronic: true },
  { code: 'G44.2', titleBg: 'Главоболие от тензионен тип', titleEn: 'Tension-type headache', isChronic: false },
  { code: 'H10.9', titleBg: 'Конюнктивит, неуточнен', titleEn: 'Conjunctivitis, unspecified', isChronic: false },
  { code: 'H66.9', titleBg: 'Отит на средното ухо, неуточнен', titleEn: 'Middle ear infection, unspecified', isChronic: false },
  { code: 'I10', titleBg: 'Есенциална (първична) хипертония', titleEn: 'Essential (primary) hypertension', isChronic: true },
  { code: 'I11.9', titleBg: 'Хипертонично сърце без сърдечна недостатъчност', titleEn: 'Hypertensive heart disease without heart failure', isChronic: true },
  { code: 'I20.9', titleBg: 'Стенокардия, неуточнена', titleEn: 'Angina, unspecified', isChronic: true },
  { code: 'I25.1', titleBg: 'Атеросклеротична болест на сърцето', titleEn: 'Atherosclerotic heart disease', isChronic: true },
  { code: 'I48', titleBg: 'Предсърдно мъждене и трептене', titleEn: 'Atrial fibrillation and flutter', isChronic: true },
  { code: 'I49.9', titleBg: 'Нарушение на сърдечния ритъм, неуточнено', titleEn: 'Heart rhythm disorder, unspecified', isChronic: false },
  { code: 'I50.0', titleBg: 'Застойна сърдечна недостатъчност', titleEn: 'Congestive heart failure', isChronic: true },
  { code: 'I83.9', titleBg: 'Разширени вени на долните крайници', titleEn: 'Varicose veins of the legs', isChronic: true },
  { code: 'J00', titleBg: 'Остър назофарингит (хрема)', titleEn: 'Acute nasopharyngitis (common cold)', isChronic: false },
  { code: 'J01.9', titleBg: 'Остър синузит, неуточнен', titleEn: 'Acute sinusitis, unspecified', isChronic: false },
  { code: 'J02.9', titleBg: 'Остър фарингит, неуточнен', titleEn: 'Acute pharyngitis, unspecified', isChronic: false },
  { code: 'J03.9', titleBg: 'Остър тонзилит, неуточнен', titleEn: 'Acute tonsillitis, unspecified', isChronic: false },
  { code: 'J06.9', titleBg: 'Остра инфекция на горните дихателни пътища', titleEn: 'Acute upper respiratory infection', isChronic: false },
  { code: 'J11.1', titleBg: 'Грип с други респираторни прояви', titleEn: 'Influenza with other respiratory signs', isChronic: false },
  { code: 'J18.9', titleBg: 'Пневмония, неуточнена', titleEn: 'Pneumonia, unspecified', isChronic: false },
  { code: 'J20.9', titleBg: 'Остър бронхит, неуточнен', titleEn: 'Acute bronchitis, unspecified', isChronic: false },
  { code: 'J30.4', titleBg: 'Алергичен ринит, неуточнен', titleEn: 'Allergic rhinitis, unspecified', isChronic: true },
  { code: 'J44.9', titleBg: 'Хронична обструктивна белодробна болест', titleEn: 'Chronic obstructive pulmonary disease', isChronic: true },
  { code: 'J45.9', titleBg: 'Астма, неуточнена', titleEn: 'Asthma, unspecified', isChronic: true },
  { code: 'K21.9', titleBg: 'Гастро-езофагеална рефлуксна болест', titleEn: 'Gastro-oesophageal reflux disease', isChronic: true },
  { code: 'K29.7', titleBg: 'Гастрит, неуточнен', titleEn: 'Gastritis, unspecified', isChronic: false },
  { code: 'K58.9', titleBg: 'Синдром на раздразненото черво', titleEn: 'Irritable bowel syndrome', isChronic: true },
  { code: 'K59.0', titleBg: 'Запек', titleEn: 'Constipation', isChronic: false },
  { code: 'L20.9', titleBg: 'Атопичен дерматит, неуточнен', titleEn: 'Atopic dermatitis, unspecified', isChronic: true },
  { code: 'L30.9', titleBg: 'Дерматит, неуточнен', titleEn: 'Dermatitis, unspecified', isChronic: false },
  { code: 'L50.9', titleBg: 'Уртикария, неуточнена', titleEn: 'Urticaria, unspecified', isChronic: false },
  { code: 'M10.9', titleBg: 'Подагра, неуточнена', titleEn: 'Gout, unspecified', isChronic: true },
  { code: 'M17.9', titleBg: 'Гонартроза, неуточнена', titleEn: 'Osteoarthritis of the knee, unspecified', isChronic: true },
  { code: 'M25.5', titleBg: 'Болка в става', titleEn: 'Joint pain', isChronic: false },
  { code: 'M54.2', titleBg: 'Болка във врата (цервикалгия)', titleEn: 'Neck pain (cervicalgia)', isChronic: false },
  { code: 'M54.5', titleBg: 'Болка в кръста', titleEn: 'Low back pain', isChronic: false },
  { code: 'M79.1', titleBg: 'Мускулна болка (миалгия)', titleEn: 'Muscle pain (myalgia)', isChronic: false },
  { code: 'M81.9', titleBg: 'Остеопороза, неуточнена', titleEn: 'Osteoporosis, unspecified', isChronic: true },
  { code: 'N30.0', titleBg: 'Остър цистит', titleEn: 'Acute cystitis', isChronic: false },
  { code: 'N39.0', titleBg: 'Инфекция на пикочните пътища', titleEn: 'Urinary tract infection', isChronic: false },
  { code: 'N40', titleBg: 'Увеличена простата (хиперплазия)', titleEn: 'Enlarged prostate (hyperplasia)', isChronic: true },
  { code: 'N95.1', titleBg: 'Менопауза и климактериум', titleEn: 'Menopause and climacteric', isChronic: false },
  { code: 'O26.9', titleBg: 'Състояние, свързано с бременността, неуточнено', titleEn: 'Pregnancy-related condition, unspecified', isChronic: false },
  { code: 'R05', titleBg: 'Кашлица', titleEn: 'Cough', isChronic: false },
  { code: 'R06.0', titleBg: 'Задух (диспнея)', titleEn: 'Shortness of breath (dyspnoea)', isChronic: false },
  { code: 'R07.4', titleBg: 'Болка в гърдите, неуточнена', titleEn: 'Chest pain, unspecified', isChronic: false },
  { code: 'R10.4', titleBg: 'Болка в корема, друга и неуточнена', titleEn: 'Abdominal pain, other and unspecified', isChronic: false },
  { code: 'R11', titleBg: 'Гадене и повръщане', titleEn: 'Nausea and vomiting', isChronic: false },
  { code: 'R42', titleBg: 'Световъртеж и замайване', titleEn: 'Dizziness and giddiness', isChronic: false },
  { code: 'R50.9', titleBg: 'Температура (фебрилитет), неуточнена', titleEn: 'Fever, unspecified', isChronic: false },
  { code: 'R51', titleBg: 'Главоболие', titleEn: 'Headache', isChronic: false },
  { code: 'R53', titleBg: 'Неразположение и умора', titleEn: 'Malaise and fatigue', isChronic: false },
  { code: 'T78.4', titleBg: 'Алергия, неуточнена', titleEn: 'Allergy, unspecified', isChronic: false },
  { code: 'U07.1', titleBg: 'COVID-19, потвърден вирус', titleEn: 'COVID-19, virus identified', isChronic: false },
  { code: 'Z00.0', titleBg: 'Общ медицински преглед', titleEn: 'General medical examination', isChronic: false },
  { code: 'Z01.8', titleBg: 'Друг специален преглед', titleEn: 'Other specified special examination', isChronic: false },
  { code: 'Z09.8', titleBg: 'Контролен преглед след лечение', titleEn: 'Follow-up examination after treatment', isChronic: false },
  { code: 'Z71.1', titleBg: 'Консултация при опасения без поставена диагноза', titleEn: 'Consultation for a concern with no diagnosis made', isChronic: false },
  { code: 'Z76.0', titleBg: 'Издаване на повторна рецепта', titleEn: 'Issue of a repeat prescription', isChronic: false },
];

/**
 * Loads the demo subset through the records module's public import (demo and tests).
 * @returns how many rows were written
 */
export function seedIcd10Demo(records: Pick<RecordsService, 'importIcd10Entries'>, ctx: RequestCtx): Promise<number> {
  return records.importIcd10Entries(ctx, ICD10_DEMO);
}
