import { useEffect, useState, type FormEvent } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { useResource, valueOf } from '../../../api/use-resource.js';
import { useFormSubmit, FormActions } from '../../../components/form.js';
import { Callout } from '../../../components/ui.js';
import { locales, useDocumentTitle, useLanguage, useT } from '../../../i18n/index.js';
import { formatDay } from '../format.js';
import { useAuth } from '../../auth/auth-context.js';
import { CreateReferralBodySchema } from '../../../../../src/contracts/referrals.js';
import type { Referral } from '../api.js';
import { BASES, budgetFor, draftFrom, emptyDraft, fieldsOf, FORMS, hintsFor, PURPOSES, referralBody, referralIssues, validUntilOf, type Form, type ReferralDraft } from '../referral-form.js';
import { BudgetNotice, CheckedField, CorrectionNotice, HintList, IssueFrame, Refusal, SignCodeField } from '../components/issue-parts.js';
import '../referrals.css';

/** Today in Sofia as YYYY-MM-DD (the server decides the real issue date with its clock). */
const sofiaToday = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Sofia' });

/**
 * `/requests/:requestId/referrals/new` (a remote consultation) and `/encounters/:encounterId/referrals/new`
 * (a recorded visit): the doctor fills in a referral form, sees the rules that apply and the practice's
 * quarterly standard, signs with a fresh code, and follows it until the NHIS returns its НРН (W13).
 */
export function IssueReferralPage() {
  const t = useT();
  useDocumentTitle(t('refIssue.referral.title'));
  const { requestId, encounterId } = useParams();
  const from = requestId ? { requestId } : { encounterId: encounterId ?? '' };
  const { me } = useAuth();
  const facilityId = me?.facilityIds[0];
  const budgets = useResource(facilityId ? `referral-budgets:${facilityId}` : null, (api) => api.referrals.budgets(facilityId ?? ''));
  const [draft, setDraft] = useState<ReferralDraft>(emptyDraft);
  // A correction (`?replaces=<id>` from the issued list): a new signed version; the old one is cancelled in the NHIS.
  const replacesId = useSearchParams()[0].get('replaces') ?? undefined;
  const original = useResource(replacesId ? `referral:${replacesId}` : null, (a) => a.referrals.referral(replacesId ?? ''));
  const replaced = valueOf(original);
  useEffect(() => {
    if (replaced) setDraft(draftFrom(replaced));
  }, [replaced]);
  const [tried, setTried] = useState(false);
  const [issued, setIssued] = useState<Referral>();
  const { problem, busy, send } = useFormSubmit();
  const api = useApi();

  const issues = tried ? referralIssues(draft) : {};
  const until = validUntilOf(draft.form, sofiaToday());
  const { language } = useLanguage();
  const hints = hintsFor(draft, requestId ? 'remote' : null, until ? formatDay(until, locales[language]) : null);
  const set = <K extends keyof ReferralDraft>(k: K, v: ReferralDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const setForm = (form: Form) => setDraft((d) => ({ ...d, form, purpose: PURPOSES[form][0] ?? d.purpose }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (Object.keys(referralIssues(draft)).length > 0) return;
    const body = { ...referralBody(draft, from), ...(replacesId ? { replacesId } : {}) };
    await send(CreateReferralBodySchema, body, async () => {
      setIssued(await api.referrals.issueReferral(body));
      budgets.reload();
    });
  }

  return (
    <IssueFrame
      kind="referral"
      requestId={requestId}
      issued={issued ? { kind: 'referral', doc: issued } : undefined}
      onAnother={() => {
        setIssued(undefined);
        setTried(false);
        setDraft(emptyDraft());
      }}
    >
        <form className="ref-form" onSubmit={(e) => void submit(e)} noValidate>
          {replaced ? <CorrectionNotice nrn={replaced.nrn} /> : null}
          <ReferralFields draft={draft} issues={issues} set={set} setForm={setForm} />
          <HintList hints={hints} />
          <BudgetNotice budget={budgetFor(valueOf(budgets)?.items, draft.form)} />
          <fieldset className="ref-sign">
            <legend>{t('refIssue.sign.title')}</legend>
            <SignCodeField value={draft.code} onChange={(v) => set('code', v)} issue={issues.code} />
          </fieldset>
          {tried && Object.keys(issues).length > 0 ? <Callout tone="warn">{t('refIssue.fixFields')}</Callout> : null}
          <Refusal problem={problem} />
          <FormActions submit={t('refIssue.referral.submit')} busy={busy} />
        </form>
    </IssueFrame>
  );
}

type SetField = <K extends keyof ReferralDraft>(k: K, v: ReferralDraft[K]) => void;

/** The fields of the chosen form: only what that form carries is shown. */
function ReferralFields({ draft, issues, set, setForm }: { draft: ReferralDraft; issues: ReturnType<typeof referralIssues>; set: SetField; setForm: (f: Form) => void }) {
  const t = useT();
  const { language } = useLanguage();
  const f = fieldsOf(draft.form);
  const reference = useResource(f.specialty ? 'directory-reference' : null, (api) => api.directory.reference());
  const pathway = draft.clinicalPathway.trim();
  const hospitals = useResource(f.hospital && pathway ? `referral-hospitals:${pathway}` : null, (api) => api.referrals.hospitals(pathway));
  const hospitalList = valueOf(hospitals)?.items;
  return (
    <>
      <CheckedField label={t('refIssue.field.form')}>
        {(p) => (
          <select {...p} value={draft.form} onChange={(e) => setForm(e.target.value as Form)}>
            {FORMS.map((form) => (
              <option key={form} value={form}>{t(`refIssue.form.${form}`)}</option>
            ))}
          </select>
        )}
      </CheckedField>
      {PURPOSES[draft.form].length > 1 ? (
        <CheckedField label={t('refIssue.field.purpose')}>
          {(p) => (
            <select {...p} value={draft.purpose} onChange={(e) => set('purpose', e.target.value as ReferralDraft['purpose'])}>
              {PURPOSES[draft.form].map((purpose) => (
                <option key={purpose} value={purpose}>{t(`refIssue.purpose.${purpose}`)}</option>
              ))}
            </select>
          )}
        </CheckedField>
      ) : null}
      <CheckedField label={t('refIssue.field.diagnosis')} hint={t('refIssue.field.diagnosis.hint')} issue={issues.diagnosisCode}>
        {(p) => <input {...p} className="ref-short" autoComplete="off" spellCheck={false} value={draft.diagnosisCode} onChange={(e) => set('diagnosisCode', e.target.value.toUpperCase())} />}
      </CheckedField>
      {f.specialty ? (
        <CheckedField label={t('refIssue.field.specialty')} issue={issues.specialtyCode}>
          {(p) => (
            <select {...p} value={draft.specialtyCode} onChange={(e) => set('specialtyCode', e.target.value)}>
              <option value="">{t('refIssue.field.specialty.choose')}</option>
              {(valueOf(reference)?.specialties ?? []).map((s) => (
                <option key={s.code} value={s.code}>{language === 'bg' ? s.nameBg : s.nameEn}</option>
              ))}
            </select>
          )}
        </CheckedField>
      ) : null}
      {f.activities ? (
        <CheckedField label={t('refIssue.field.activities')} hint={t('refIssue.field.activities.hint')} issue={issues.activityCodes}>
          {(p) => <input {...p} autoComplete="off" value={draft.activityCodes} onChange={(e) => set('activityCodes', e.target.value)} />}
        </CheckedField>
      ) : null}
      {f.hospital ? (
        <>
          <CheckedField label={t('refIssue.field.pathway')} issue={issues.clinicalPathway}>
            {(p) => <input {...p} className="ref-short" autoComplete="off" value={draft.clinicalPathway} onChange={(e) => set('clinicalPathway', e.target.value)} />}
          </CheckedField>
          <CheckedField label={t('refIssue.field.hospital')} issue={issues.hospitalFacilityId} hint={hospitalList && hospitalList.length === 0 ? t('refIssue.field.hospital.none') : undefined}>
            {(p) => (
              <select {...p} value={draft.hospitalFacilityId} onChange={(e) => set('hospitalFacilityId', e.target.value)}>
                <option value="">{t('refIssue.field.hospital.choose')}</option>
                {(hospitalList ?? []).map((h) => (
                  <option key={h.facilityId} value={h.facilityId}>{`${h.name}, ${h.settlement}`}</option>
                ))}
              </select>
            )}
          </CheckedField>
        </>
      ) : null}
      <CheckedField label={t('refIssue.field.request')} hint={t('refIssue.field.request.hint')} issue={issues.request}>
        {(p) => <textarea {...p} rows={3} value={draft.request} onChange={(e) => set('request', e.target.value)} />}
      </CheckedField>
      <CheckedField label={t('refIssue.field.basis')}>
        {(p) => (
          <select {...p} value={draft.basis} onChange={(e) => set('basis', e.target.value as ReferralDraft['basis'])}>
            {BASES.map((b) => (
              <option key={b} value={b}>{t(`refIssue.basis.${b}`)}</option>
            ))}
          </select>
        )}
      </CheckedField>
      {draft.basis !== 'clinical_need' ? (
        <label className="ref-check">
          <input type="checkbox" checked={draft.independentlyJudgedNecessary} onChange={(e) => set('independentlyJudgedNecessary', e.target.checked)} /> {t('refIssue.field.judged')}
        </label>
      ) : null}
    </>
  );
}
