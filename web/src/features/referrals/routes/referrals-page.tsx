import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource } from '../../../api/use-resource.js';
import { Skeleton } from '../../../components/ui.js';
import { useDocumentTitle, useLanguage, useT, locales, type MessageKey } from '../../../i18n/index.js';
import { ActingForPatient } from '../../access/components/acting-for-patient.js';
import { formatDay } from '../format.js';
import '../referrals.css';

/** "Направления и рецепти": the patient's referrals with validity and where to use them (W14), and prescriptions with the dispensing pharmacy (W27). */
export function ReferralsPage() {
  const t = useT();
  useDocumentTitle(t('referrals.title'));
  return (
    <div className="page">
      <h1>{t('referrals.title')}</h1>
      <p className="lead">{t('referrals.intro')}</p>
      <ActingForPatient id="ref-patient" label={t('referrals.patient')} loading={t('referrals.loading')}>
        {(patientId) => <PatientDocuments patientId={patientId} />}
      </ActingForPatient>
    </div>
  );
}

function PatientDocuments({ patientId }: { patientId: string }) {
  const t = useT();
  const api = useApi();
  const { language } = useLanguage();
  const day = (d: string) => formatDay(d, locales[language]);
  const docs = useResource(`patient-documents:${patientId}`, (a) =>
    Promise.all([a.referrals.referrals(patientId), a.referrals.prescriptions(patientId)]).then(([r, p]) => ({ referrals: r.items, prescriptions: p.items })),
  );

  if (docs.state === 'loading') return <Skeleton lines={4} label={t('referrals.loading')} />;
  if (docs.state === 'problem') return <ProblemAlert problem={docs.problem} />;
  const status = (s: string) => t(`referrals.status.${s}` as MessageKey);
  return (
    <>
      <section aria-labelledby="ref-referrals">
        <h2 id="ref-referrals">{t('referrals.referrals')}</h2>
        {docs.value.referrals.length === 0 ? <p>{t('referrals.none')}</p> : null}
        <ul className="card-list">
          {docs.value.referrals.map((r) => (
            <li key={r.id} className="card">
              <h3>
                {t('referrals.form', { form: r.form })} — {status(r.status)}
              </h3>
              <p>{r.nrn ? t('referrals.nrn', { nrn: r.nrn }) : t('referrals.pendingNrn')}</p>
              <p>{t('referrals.issuedOn', { date: day(r.issuedOn), doctor: `${r.issuer.name}, ${r.issuer.facilityName}` })}</p>
              <p>{r.request}</p>
              {r.status === 'issued' ? <p>{r.usableAt}</p> : null}
              <a href={api.referrals.pdfHref('referral', r.id)} target="_blank" rel="noreferrer">
                {t('referrals.pdf')}
              </a>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="ref-prescriptions">
        <h2 id="ref-prescriptions">{t('referrals.prescriptions')}</h2>
        {docs.value.prescriptions.length === 0 ? <p>{t('referrals.noneRx')}</p> : null}
        <ul className="card-list">
          {docs.value.prescriptions.map((p) => (
            <li key={p.id} className="card">
              <h3>
                {p.nrn ? t('referrals.nrn', { nrn: p.nrn }) : t('referrals.pendingNrn')} — {status(p.status)}
              </h3>
              <p>{t('referrals.issuedOn', { date: day(p.issuedOn), doctor: `${p.issuer.name}, ${p.issuer.facilityName}` })}</p>
              <ul>
                {p.lines.map((l) => (
                  <li key={l.medicineCode}>{`${l.name} — ${l.packages} × ${l.dosage}`}</li>
                ))}
              </ul>
              {p.dispensations.map((d) => (
                <p key={`${d.pharmacyNumber}-${d.dispensedOn}`}>{t('referrals.dispensed', { pharmacy: d.pharmacyName ?? d.pharmacyNumber, date: d.dispensedOn })}</p>
              ))}
              <a href={api.referrals.pdfHref('prescription', p.id)} target="_blank" rel="noreferrer">
                {t('referrals.pdf')}
              </a>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
