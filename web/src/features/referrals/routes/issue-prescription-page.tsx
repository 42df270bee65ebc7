import { useEffect, useState, type FormEvent } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { useResource, valueOf } from '../../../api/use-resource.js';
import { useFormSubmit, FormActions } from '../../../components/form.js';
import { Badge, Callout } from '../../../components/ui.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { CreatePrescriptionBodySchema } from '../../../../../src/contracts/referrals.js';
import type { Medicine, Prescription } from '../api.js';
import { emptyRx, MAX_LINES, needsProtocol, newLine, prescriptionBody, rxDraftFrom, rxIssues, type RxDraft, type RxLine } from '../prescription-form.js';
import { CheckedField, CorrectionNotice, IssueFrame, Refusal, SignCodeField } from '../components/issue-parts.js';
import '../referrals.css';

/**
 * `/requests/:requestId/prescriptions/new` and `/encounters/:encounterId/prescriptions/new`: the doctor
 * picks medicines from the nomenclature, sets packages, days and dosage, signs with a fresh code and
 * follows the prescription until the NHIS returns its number (W27).
 */
export function IssuePrescriptionPage() {
  const t = useT();
  useDocumentTitle(t('refIssue.prescription.title'));
  const { requestId, encounterId } = useParams();
  // A correction (`?replaces=<id>` from the issued list): the form starts from the signed prescription and is
  // signed as a new version; the old one is cancelled in the NHIS.
  const replacesId = useSearchParams()[0].get('replaces') ?? undefined;
  const original = useResource(replacesId ? `prescription:${replacesId}` : null, async (a) => {
    const p = await a.referrals.prescription(replacesId ?? '');
    // Each medicine as the nomenclature lists it today (its protocol flag, R-60).
    const found = await Promise.all(p.lines.map(async (l) => (await a.referrals.medicines(l.medicineCode).catch(() => ({ items: [] }))).items.find((m) => m.code === l.medicineCode)));
    return { nrn: p.nrn, draft: rxDraftFrom(p, found.filter((m): m is Medicine => m !== undefined)) };
  });
  const replaced = valueOf(original);
  const from = requestId ? { requestId } : { encounterId: encounterId ?? '' };
  const api = useApi();
  const [draft, setDraft] = useState<RxDraft>(emptyRx);
  useEffect(() => {
    if (replaced) setDraft(replaced.draft);
  }, [replaced]);
  const [tried, setTried] = useState(false);
  const [issued, setIssued] = useState<Prescription>();
  const { problem, busy, send } = useFormSubmit();
  const issues = tried ? rxIssues(draft) : {};
  const setLine = (code: string, patch: Partial<RxLine>) => setDraft((d) => ({ ...d, lines: d.lines.map((l) => (l.medicine.code === code ? { ...l, ...patch } : l)) }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (Object.keys(rxIssues(draft)).length > 0) return;
    const body = { ...prescriptionBody(draft, from), ...(replacesId ? { replacesId } : {}) };
    await send(CreatePrescriptionBodySchema, body, async () => setIssued(await api.referrals.issuePrescription(body)));
  }

  return (
    <IssueFrame
      kind="prescription"
      requestId={requestId}
      issued={issued ? { kind: 'prescription', doc: issued } : undefined}
      onAnother={() => {
        setIssued(undefined);
        setTried(false);
        setDraft(emptyRx());
      }}
    >
        <form className="ref-form" onSubmit={(e) => void submit(e)} noValidate>
          {replacesId ? <CorrectionNotice nrn={replaced?.nrn ?? null} /> : null}
          <CheckedField label={t('refIssue.field.diagnosis')} hint={t('refIssue.field.diagnosis.hint')} issue={issues['diagnosisCode']}>
            {(p) => <input {...p} className="ref-short" autoComplete="off" spellCheck={false} value={draft.diagnosisCode} onChange={(e) => setDraft({ ...draft, diagnosisCode: e.target.value.toUpperCase() })} />}
          </CheckedField>
          {draft.lines.length < MAX_LINES ? <MedicineSearch taken={draft.lines.map((l) => l.medicine.code)} onAdd={(m) => setDraft((d) => ({ ...d, lines: [...d.lines, newLine(m)] }))} /> : null}
          <section aria-labelledby="rx-lines" className="ref-lines">
            <h2 id="rx-lines">{t('refIssue.rx.lines')}</h2>
            <p className="ra-field__hint">{t('refIssue.rx.limit')}</p>
            {draft.lines.length === 0 ? <p className={issues['lines'] ? 'ra-field__error' : ''}>{issues['lines'] ? t(issues['lines']) : t('refIssue.rx.empty')}</p> : null}
            <ul className="ref-line-list">
              {draft.lines.map((l) => (
                <LineEditor key={l.medicine.code} line={l} issue={issues[`line:${l.medicine.code}`]} onChange={(patch) => setLine(l.medicine.code, patch)} onRemove={() => setDraft((d) => ({ ...d, lines: d.lines.filter((x) => x.medicine.code !== l.medicine.code) }))} />
              ))}
            </ul>
          </section>
          {needsProtocol(draft) ? (
            <CheckedField label={t('refIssue.rx.protocolNumber')}>
              {(p) => <input {...p} className="ref-short" value={draft.protocolNumber} onChange={(e) => setDraft({ ...draft, protocolNumber: e.target.value })} />}
            </CheckedField>
          ) : null}
          <fieldset className="ref-sign">
            <legend>{t('refIssue.sign.title')}</legend>
            <SignCodeField value={draft.code} onChange={(v) => setDraft({ ...draft, code: v })} issue={issues['code']} />
          </fieldset>
          {tried && Object.keys(issues).length > 0 ? <Callout tone="warn">{t('refIssue.fixFields')}</Callout> : null}
          <Refusal problem={problem} />
          <FormActions submit={t('refIssue.prescription.submit')} busy={busy} />
        </form>
    </IssueFrame>
  );
}

/** Search the medicines nomenclature by name or active substance; each result is one tap to add. */
function MedicineSearch({ taken, onAdd }: { taken: string[]; onAdd: (m: Medicine) => void }) {
  const t = useT();
  const [q, setQ] = useState('');
  const text = q.trim();
  const found = useResource(text.length >= 2 ? `medicines:${text}` : null, (api, signal) => api.referrals.medicines(text, signal));
  const items = (valueOf(found)?.items ?? []).filter((m) => !taken.includes(m.code));
  return (
    <div className="ref-search">
      <CheckedField label={t('refIssue.rx.search')} hint={t('refIssue.rx.search.hint')}>
        {(p) => <input {...p} type="search" autoComplete="off" value={q} onChange={(e) => setQ(e.target.value)} />}
      </CheckedField>
      {text.length >= 2 && found.state === 'ready' ? (
        items.length === 0 ? (
          <p role="status">{t('refIssue.rx.noResults')}</p>
        ) : (
          <ul className="ref-results" aria-live="polite">
            {items.map((m) => (
              <li key={m.code}>
                <button type="button" className="button button--secondary button--small" onClick={() => { onAdd(m); setQ(''); }}>
                  {t('refIssue.rx.add', { name: m.name })}
                </button>
                <span className="ref-result-facts">
                  {m.inn}
                  {m.nhifReimbursed ? <Badge tone="ok">{t('refIssue.rx.reimbursed')}</Badge> : null}
                  {m.protocolRequired ? <Badge tone="warn">{t('refIssue.rx.protocol')}</Badge> : null}
                </span>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}

/** One prescribed medicine: packages, days, dosage and substitution. */
function LineEditor({ line, issue, onChange, onRemove }: { line: RxLine; issue: Parameters<typeof CheckedField>[0]['issue']; onChange: (p: Partial<RxLine>) => void; onRemove: () => void }) {
  const t = useT();
  const m = line.medicine;
  // The nomenclature's name already carries the strength and the pack.
  const name = m.name;
  return (
    <li className="ui-card ref-line" data-medicine={m.code}>
      <h3>
        {name} {m.nhifReimbursed ? <Badge tone="ok">{t('refIssue.rx.reimbursed')}</Badge> : null}
      </h3>
      <div className="ref-line-grid">
        <CheckedField label={t('refIssue.rx.packages')}>{(p) => <input {...p} inputMode="numeric" value={line.packages} onChange={(e) => onChange({ packages: e.target.value })} />}</CheckedField>
        <CheckedField label={t('refIssue.rx.days')}>{(p) => <input {...p} inputMode="numeric" value={line.days} onChange={(e) => onChange({ days: e.target.value })} />}</CheckedField>
      </div>
      <CheckedField label={t('refIssue.rx.dosage')} issue={issue}>{(p) => <input {...p} value={line.dosage} onChange={(e) => onChange({ dosage: e.target.value })} />}</CheckedField>
      <label className="ref-check">
        <input type="checkbox" checked={line.substitutionAllowed} onChange={(e) => onChange({ substitutionAllowed: e.target.checked })} /> {t('refIssue.rx.substitution')}
      </label>
      <button type="button" className="link-button" onClick={onRemove}>
        {t('refIssue.rx.remove', { name })}
      </button>
    </li>
  );
}
