import { useState, type FormEvent } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { problemOf, useResource, valueOf } from '../../../api/use-resource.js';
import { locales, useDocumentTitle, useFormatDateTime, useLanguage, useT } from '../../../i18n/index.js';
import { ActingForPatient } from '../../access/components/acting-for-patient.js';
import { formatEur, type ForeignPolicyInput } from '../api.js';

/** The patient's insurance: NRA status today and, for a foreigner, the mandatory policy (W22-W23, R-INS-*). */
export function MyInsurancePage() {
  const t = useT();
  useDocumentTitle(t('insurance.page.title'));
  return (
    <div className="page insurance-page">
      <h1>{t('insurance.page.title')}</h1>
      <p className="lead">{t('insurance.page.intro')}</p>
      <ActingForPatient id="ins-patient" label={t('insurance.patient')}>
        {(patientId) => <PatientInsurance patientId={patientId} />}
      </ActingForPatient>
    </div>
  );
}

function PatientInsurance({ patientId }: { patientId: string }) {
  const t = useT();
  const api = useApi();
  const { language } = useLanguage();
  const fmt = useFormatDateTime();
  // The NRA answers for an EGN or LNCh only: a passport holder has no status there.
  const statusRes = useResource(`insurance/status/${patientId}`, (a) => a.insurance.status(patientId).catch(() => null));
  const foreignRes = useResource(`insurance/foreign/${patientId}`, (a) => a.insurance.foreign(patientId));
  const eventsRes = useResource(`insurance/events/${patientId}`, (a) => a.insurance.events(patientId).then((r) => r.items, () => []));
  const status = valueOf(statusRes);
  const foreign = valueOf(foreignRes);
  const events = valueOf(eventsRes) ?? [];
  const [actionProblem, setProblem] = useState<Problem>();
  const problem = actionProblem ?? problemOf(foreignRes);
  const [saved, setSaved] = useState(false);
  const load = () => {
    statusRes.reload();
    foreignRes.reload();
    eventsRes.reload();
  };

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    const cents = (k: string) => Math.round(Number(s(k).replace(',', '.')) * 100);
    const body: ForeignPolicyInput = {
      stayKind: s('stayKind') as ForeignPolicyInput['stayKind'],
      insurer: s('insurer'),
      policyNumber: s('policyNumber'),
      concludedOn: s('concludedOn'),
      startsOn: s('startsOn'),
      endsOn: s('endsOn'),
      sumInsuredCents: cents('sum'),
      sumCurrency: s('sumCurrency') as 'BGN' | 'EUR',
      premiumCents: cents('premium'),
      premiumCurrency: s('sumCurrency') as 'BGN' | 'EUR',
      premiumPayment: s('premiumPayment') as 'single' | 'instalments',
      ...(s('renews') ? { renewsPolicyId: s('renews') } : {}),
    };
    setProblem(undefined);
    setSaved(false);
    try {
      await api.insurance.recordPolicy(patientId, body);
      setSaved(true);
      load();
    } catch (err) {
      setProblem(problemFromError(err));
    }
  }

  const locale = locales[language];
  const c = foreign?.coverage;
  return (
    <>
      {problem ? <ProblemAlert problem={problem} /> : null}
      {status ? (
        <section aria-labelledby="ins-status">
          <h2 id="ins-status">{t('insurance.status.title')}</h2>
          <p data-insurance-status={status.status}>{status.status === 'interrupted' ? t('insurance.status.interrupted', { months: status.missingMonths.join(', ') }) : t(`insurance.status.${status.status}`)}</p>
        </section>
      ) : null}
      {foreign ? (
        <section aria-labelledby="ins-foreign">
          <h2 id="ins-foreign">{t('insurance.foreign.title')}</h2>
          <p data-coverage={c?.state}>
            {c?.state === 'covered'
              ? t('insurance.foreign.covered', { date: c.date ?? '' })
              : c?.state === 'expired'
                ? t('insurance.foreign.expired', { date: c.date ?? '' })
                : c?.state === 'not_started'
                  ? t('insurance.foreign.notStarted', { date: c.date ?? '' })
                  : t('insurance.foreign.none')}
          </p>
          <p>
            {t('insurance.foreign.limits', {
              bgn: new Intl.NumberFormat(locale, { style: 'currency', currency: 'BGN' }).format(foreign.minimumSum.bgnCents / 100),
              eur: formatEur(foreign.minimumSum.eurCents, locale),
              short: String(foreign.maxTermDays['short'] ?? ''),
              long: String(foreign.maxTermDays['long'] ?? ''),
            })}
          </p>
          {foreign.policies.length > 0 ? (
            <table>
              <caption>{t('insurance.foreign.policies')}</caption>
              <thead>
                <tr>
                  <th>{t('insurance.field.insurer')}</th>
                  <th>{t('insurance.field.policyNumber')}</th>
                  <th>{t('insurance.field.startsOn')}</th>
                  <th>{t('insurance.field.endsOn')}</th>
                  <th>{t('insurance.field.sum')}</th>
                </tr>
              </thead>
              <tbody>
                {foreign.policies.map((p) => (
                  <tr key={p.id}>
                    <td>{p.insurer}</td>
                    <td>{p.policyNumber}</td>
                    <td>{p.startsOn}</td>
                    <td>{p.endsOn}</td>
                    <td>{new Intl.NumberFormat(locale, { style: 'currency', currency: p.sumCurrency }).format(p.sumInsuredCents / 100)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <form className="booking-form" onSubmit={(e) => void submit(e)} aria-labelledby="ins-add">
            <h3 id="ins-add">{foreign.policies.length > 0 ? t('insurance.foreign.renew') : t('insurance.foreign.add')}</h3>
            {foreign.policies.length > 0 ? (
              <label>
                {t('insurance.field.renews')}
                <select name="renews" defaultValue={foreign.policies.at(-1)?.id}>
                  <option value="">{t('insurance.field.renewsNone')}</option>
                  {foreign.policies.map((p) => (
                    <option key={p.id} value={p.id}>{`${p.insurer} ${p.policyNumber} (${p.endsOn})`}</option>
                  ))}
                </select>
              </label>
            ) : null}
            <label>
              {t('insurance.field.stayKind')}
              <select name="stayKind" defaultValue="short">
                <option value="short">{t('insurance.stay.short')}</option>
                <option value="transit">{t('insurance.stay.transit')}</option>
                <option value="long">{t('insurance.stay.long')}</option>
              </select>
            </label>
            <label>
              {t('insurance.field.insurer')}
              <input name="insurer" required minLength={2} />
            </label>
            <label>
              {t('insurance.field.policyNumber')}
              <input name="policyNumber" required />
            </label>
            <label>
              {t('insurance.field.concludedOn')}
              <input name="concludedOn" type="date" required />
            </label>
            <label>
              {t('insurance.field.startsOn')}
              <input name="startsOn" type="date" required />
            </label>
            <label>
              {t('insurance.field.endsOn')}
              <input name="endsOn" type="date" required />
            </label>
            <label>
              {t('insurance.field.sum')}
              <input name="sum" inputMode="decimal" required />
            </label>
            <label>
              {t('insurance.field.premium')}
              <input name="premium" inputMode="decimal" required />
            </label>
            <label>
              {t('insurance.field.currency')}
              <select name="sumCurrency" defaultValue="EUR">
                <option value="EUR">EUR</option>
                <option value="BGN">BGN</option>
              </select>
            </label>
            <label>
              {t('insurance.field.premiumPayment')}
              <select name="premiumPayment" defaultValue="single">
                <option value="single">{t('insurance.premium.single')}</option>
                <option value="instalments">{t('insurance.premium.instalments')}</option>
              </select>
            </label>
            <button type="submit">{t('insurance.save')}</button>
            {saved ? <p role="status">{t('insurance.saved')}</p> : null}
          </form>
          <details>
            <summary>{t('insurance.covers')}</summary>
            <ul>
              {foreign.covered.map((x) => (
                <li key={x.code}>{language === 'bg' ? x.bg : x.en}</li>
              ))}
            </ul>
          </details>
          <details>
            <summary>{t('insurance.exclusions')}</summary>
            <ul>
              {foreign.exclusions.map((x) => (
                <li key={x.code}>{`${language === 'bg' ? x.bg : x.en} (${x.rule}, ${x.article})`}</li>
              ))}
            </ul>
          </details>
        </section>
      ) : null}
      {events.length > 0 ? (
        <section aria-labelledby="ins-events">
          <h2 id="ins-events">{t('insurance.events.title')}</h2>
          <ul>
            {events.map((ev) => (
              <li key={ev.id}>
                {fmt(new Date(ev.occurredAt))} —{' '}
                {ev.notifiedAt ? t('insurance.events.notified', { at: fmt(new Date(ev.notifiedAt)) }) : ev.noticeOverdue ? t('insurance.events.overdue') : t('insurance.events.notice', { due: fmt(new Date(ev.noticeDueAt)) })}
                {'; '}
                {ev.completeOn ? t('insurance.events.payout', { date: ev.completeOn, due: ev.payoutDueOn ?? '' }) : t('insurance.events.missing', { docs: ev.documents.filter((d) => ev.missing.includes(d.code)).map((d) => (language === 'bg' ? d.bg : d.en)).join('; ') })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
