import { useId, useState, type ReactNode } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useResource } from '../../../api/use-resource.js';
import { Callout, Skeleton } from '../../../components/ui.js';
import { locales, useFormatDateTime, useLanguage, useT, type MessageKey } from '../../../i18n/index.js';
import type { NationalExamination, NationalPrescription, NationalRecord, NationalReferral } from '../api.js';
import '../records.css';

type Bilingual = { bg: string; en: string };
type Doctor = NationalExamination['doctor'];
type DiagnosisRow = NationalExamination['diagnoses'][number];

/** A local date (`YYYY-MM-DD`) as people say it, the year included (records reach back two years). */
function formatDay(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** An NHIS date: a plain date as a date, an instant in Sofia time without seconds. */
function useRecordDate(): (date: string | null) => string {
  const { language } = useLanguage();
  const formatDateTime = useFormatDateTime();
  return (date) => (date === null ? '—' : /^\d{4}-\d{2}-\d{2}$/.test(date) ? formatDay(date, locales[language]) : formatDateTime(new Date(date)));
}

/**
 * "Национален здравен запис": the patient's recent examinations, referrals and prescriptions from the NHIS,
 * read into the consultation by its specialist (Art. 13, R-TM-29; docs/records.md#the-national-record).
 * Read-only; fetched once per consultation, with the patient's written consent in force; an NHIS that cannot be
 * reached is said in words and the consultation goes on. No internal codes: statuses, forms and specialties
 * in words; ICD-10 codes with their titles, and the national reference numbers (NRN) a doctor quotes.
 */
export function NationalRecordPanel({ consultationId }: { consultationId: string }) {
  const t = useT();
  const api = useApi();
  const headingId = useId();
  const formatDateTime = useFormatDateTime();
  const resource = useResource<NationalRecord>(`national-record:${consultationId}`, (a) => a.records.nationalRecord(consultationId));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const record = resource.state === 'ready' ? resource.value : undefined;

  const fetchRecord = () => {
    if (busy) return;
    setBusy(true);
    setProblem(undefined);
    api.records
      .fetchNationalRecord(consultationId)
      .then((r) => (resource.state === 'ready' ? resource.set(r) : resource.reload()), (e: unknown) => setProblem(problemFromError(e)))
      .finally(() => setBusy(false));
  };

  const fetchButton = (label: MessageKey) => (
    <button type="button" className="button" onClick={fetchRecord} aria-disabled={busy ? 'true' : undefined} data-testid="national-record-fetch">
      {busy ? t('nationalRecord.fetching') : t(label)}
    </button>
  );

  return (
    <section className="card national-record" aria-labelledby={headingId} data-testid="national-record" data-status={record?.status ?? resource.state}>
      <h2 id={headingId}>{t('nationalRecord.title')}</h2>
      <p className="national-record__lead">{t('nationalRecord.lead')}</p>
      {resource.state === 'loading' ? <Skeleton lines={2} label={t('nationalRecord.loading')} /> : null}
      {resource.state === 'problem' ? <ProblemAlert problem={resource.problem} /> : null}
      {problem ? <ProblemAlert problem={problem} /> : null}
      {record?.status === 'not_fetched' ? <p className="button-row">{fetchButton('nationalRecord.fetch')}</p> : null}
      {record?.status === 'unavailable' || record?.status === 'refused' ? (
        <>
          <Callout tone="warn" title={t(record.status === 'unavailable' ? 'nationalRecord.unavailable.title' : 'nationalRecord.refused.title')}>
            <p>{t(record.status === 'unavailable' ? 'nationalRecord.unavailable.body' : 'nationalRecord.refused.body', { at: formatDateTime(new Date(record.checkedAt)) })}</p>
          </Callout>
          <p className="button-row">{fetchButton('nationalRecord.retry')}</p>
        </>
      ) : null}
      {record?.status === 'ready' ? <RecordGroups record={record} /> : null}
    </section>
  );
}

function RecordGroups({ record }: { record: Extract<NationalRecord, { status: 'ready' }> }) {
  const t = useT();
  const { language } = useLanguage();
  const formatDateTime = useFormatDateTime();
  return (
    <>
      <p className="national-record__meta" data-testid="national-record-meta">
        {t('nationalRecord.meta', { at: formatDateTime(new Date(record.fetchedAt)), from: formatDay(record.fromDate, locales[language]), to: formatDay(record.toDate, locales[language]) })}
      </p>
      <Group title={t('nationalRecord.examinations')} empty={t('nationalRecord.examinations.none')} testId="national-record-examinations" items={record.examinations} render={(e) => <ExaminationItem e={e} />} />
      <Group title={t('nationalRecord.referrals')} empty={t('nationalRecord.referrals.none')} testId="national-record-referrals" items={record.referrals} render={(r) => <ReferralItem r={r} />} />
      <Group title={t('nationalRecord.prescriptions')} empty={t('nationalRecord.prescriptions.none')} testId="national-record-prescriptions" items={record.prescriptions} render={(p) => <PrescriptionItem p={p} />} />
    </>
  );
}

function Group<T extends { nrn: string }>({ title, empty, items, render, testId }: { title: string; empty: string; items: T[]; render: (item: T) => ReactNode; testId: string }) {
  const id = useId();
  return (
    <section className="national-record__group" aria-labelledby={id} data-testid={testId}>
      <h3 id={id}>
        {title} <span className="national-record__count">({items.length})</span>
      </h3>
      {items.length === 0 ? (
        <p className="national-record__empty">{empty}</p>
      ) : (
        <ul className="national-record__list">
          {items.map((item) => (
            <li key={item.nrn} className="national-record__item">
              {render(item)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Date, doctor and specialty, diagnoses, NRN: the facts every kind shows, in one layout. */
function ItemFacts({ date, status, doctor, diagnoses, nrn, children }: { date: string | null; status: string; doctor: Doctor; diagnoses: DiagnosisRow[]; nrn: string; children?: ReactNode }) {
  const t = useT();
  const { language } = useLanguage();
  const formatDate = useRecordDate();
  const name = (b: Bilingual | null) => (b ? b[language === 'en' ? 'en' : 'bg'] : null);
  const who = doctor.name ?? (doctor.uin ? t('nationalRecord.doctorUin', { uin: doctor.uin }) : t('nationalRecord.doctorUnknown'));
  const specialty = name(doctor.specialty);
  return (
    <>
      <p className="national-record__head">
        <strong>{formatDate(date)}</strong> <span className="national-record__status">{status}</span>
      </p>
      <dl className="national-record__facts">
        <dt>{t('nationalRecord.doctor')}</dt>
        <dd>{specialty ? `${who}, ${specialty}` : who}</dd>
        {diagnoses.length > 0 ? (
          <>
            <dt>{t('nationalRecord.diagnosis')}</dt>
            <dd>
              {diagnoses.map((d) => (
                <span key={d.code} className="national-record__diagnosis">
                  {d.code}
                  {d.title ? ` ${name(d.title) ?? ''}` : ''}
                </span>
              ))}
            </dd>
          </>
        ) : null}
        {children}
        <dt>{t('nationalRecord.nrn')}</dt>
        <dd className="national-record__nrn">{nrn}</dd>
      </dl>
    </>
  );
}

function ExaminationItem({ e }: { e: NationalExamination }) {
  const t = useT();
  return <ItemFacts date={e.date} status={t(`nationalRecord.examination.${e.status}`)} doctor={e.doctor} diagnoses={e.diagnoses} nrn={e.nrn} />;
}

function ReferralItem({ r }: { r: NationalReferral }) {
  const t = useT();
  const { language } = useLanguage();
  const consulted = r.consultedSpecialty ? r.consultedSpecialty[language === 'en' ? 'en' : 'bg'] : null;
  const what = r.form ? t(`nationalRecord.referral.form.${r.form}`) : t('nationalRecord.referral.form.other');
  return (
    <ItemFacts date={r.date} status={t(`nationalRecord.referral.${r.status}`)} doctor={r.doctor} diagnoses={r.diagnoses} nrn={r.nrn}>
      <dt>{t('nationalRecord.referral.what')}</dt>
      <dd>{consulted ? `${what}: ${consulted}` : what}</dd>
    </ItemFacts>
  );
}

function PrescriptionItem({ p }: { p: NationalPrescription }) {
  const t = useT();
  return (
    <ItemFacts date={p.date} status={t(`nationalRecord.prescription.${p.status}`)} doctor={p.doctor} diagnoses={p.diagnoses} nrn={p.nrn}>
      {p.medications.length > 0 ? (
        <>
          <dt>{t('nationalRecord.medicines')}</dt>
          <dd>{p.medications.join('; ')}</dd>
        </>
      ) : null}
    </ItemFacts>
  );
}
