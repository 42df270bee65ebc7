import { useState } from 'react';
import { Link } from 'react-router';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource } from '../../../api/use-resource.js';
import { Field } from '../../../components/form.js';
import { Badge, DataTable, EmptyState, Facts, PageHeader, Skeleton } from '../../../components/ui.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';
import { pdfUrl, type LkkMonthlyReport } from '../api.js';
import { sofiaDay, useFormatDay } from '../format.js';
import '../sick-leave.css';

type Row = LkkMonthlyReport['rows'][number];
const ID_LABEL: Record<Row['identifierKind'], string> = { egn: 'ЕГН', lnch: 'ЛНЧ', passport: '№', other: '№' };

/**
 * `/lkk/report`: the chair's monthly report to the РЗОК (НРД R-133): the composition, the month's sessions,
 * each protocol with the patient, the decision and the common part of the talon; printable as a PDF.
 */
export function LkkReportPage() {
  const t = useT();
  useDocumentTitle(t('sickLeave.report.title'));
  const { me } = useAuth();
  const day = useFormatDay();
  const myId = me?.role === 'specialist' ? me.practitionerId : null;
  const lkks = useResource('lkks', (a) => a.sickLeave.lkks());
  const chaired = lkks.state === 'ready' ? lkks.value.items.filter((l) => l.members.some((m) => m.practitionerId === myId && m.role === 'chair')) : [];
  const [lkkId, setLkkId] = useState<string>();
  const lkk = chaired.find((l) => l.id === lkkId) ?? chaired[0];
  const [month, setMonth] = useState(sofiaDay(new Date()).slice(0, 7));
  const report = useResource(lkk && /^\d{4}-\d{2}$/.test(month) ? `lkk-report:${lkk.id}:${month}` : null, (a) => a.sickLeave.lkkReport(lkk?.id ?? '', month));
  return (
    <div className="page sl-page">
      <p><Link to="/lkk">{t('sickLeave.report.back')}</Link></p>
      <PageHeader title={t('sickLeave.report.title')} lead={t('sickLeave.report.lead')} />
      {lkks.state === 'loading' ? <Skeleton /> : null}
      {lkks.state === 'problem' ? <ProblemAlert problem={lkks.problem} /> : null}
      {lkks.state === 'ready' && !lkk ? <EmptyState title={t('sickLeave.report.notChair')}>{t('sickLeave.report.notChairHint')}</EmptyState> : null}
      {lkk ? (
        <div className="sl-row">
          {chaired.length > 1 ? (
            <label className="ra-field">
              {t('sickLeave.lkk.choose')}
              <select value={lkk.id} onChange={(e) => setLkkId(e.target.value)}>
                {chaired.map((l) => (
                  <option key={l.id} value={l.id}>{l.name}</option>
                ))}
              </select>
            </label>
          ) : null}
          <Field label={t('sickLeave.report.month')}>{(p) => <input {...p} type="month" value={month} onChange={(e) => setMonth(e.target.value)} />}</Field>
        </div>
      ) : null}
      {report.state === 'loading' && lkk ? <Skeleton lines={6} /> : null}
      {report.state === 'problem' ? <ProblemAlert problem={report.problem} /> : null}
      {report.state === 'ready' ? (
        <>
          <Facts
            items={[
              { key: 'lkk', label: t('sickLeave.report.composition'), value: `${report.value.lkk.name} (${report.value.lkk.orderRef}): ${report.value.lkk.members.map((m) => `${m.name ?? ''}, ${t(m.role === 'chair' ? 'sickLeave.report.chair' : 'sickLeave.report.member')}`).join('; ')}` },
              { key: 'sessions', label: t('sickLeave.report.sessions'), value: report.value.sessions.length > 0 ? report.value.sessions.map(day).join(', ') : t('sickLeave.report.noSessions') },
              { key: 'totals', label: t('sickLeave.report.decisions'), value: Object.entries(report.value.totals).map(([k, n]) => `${t(`sickLeave.lkk.${k as Row['decision']}`)}: ${n}`).join('; ') || '—' },
            ]}
          />
          <p><a href={pdfUrl.lkkReport(report.value.lkk.id, report.value.month)} target="_blank" rel="noreferrer">{t('sickLeave.report.pdf')}</a></p>
          <h2>{t('sickLeave.report.protocols')}</h2>
          <div data-testid="lkk-report">
            <DataTable<Row>
              caption={t('sickLeave.report.protocols')}
              rows={report.value.rows}
              rowKey={(r) => r.caseId}
              empty={<EmptyState title={t('sickLeave.report.empty')} />}
              columns={[
                { key: 'no', header: t('sickLeave.report.no'), label: t('sickLeave.report.no'), cell: (r) => String(r.protocolNo) },
                { key: 'held', header: t('sickLeave.report.heldOn'), label: t('sickLeave.report.heldOn'), cell: (r) => day(r.heldOn) },
                { key: 'patient', header: t('sickLeave.report.patient'), label: t('sickLeave.report.patient'), cell: (r) => `${r.patientName}, ${ID_LABEL[r.identifierKind]} ${r.identifier}` },
                {
                  key: 'decision',
                  header: t('sickLeave.report.decision'),
                  label: t('sickLeave.report.decision'),
                  cell: (r) => (
                    <span>
                      {t(`sickLeave.lkk.${r.decision}`)}
                      {r.period ? ` ${t('sickLeave.report.period', { from: day(r.period.startOn), to: day(r.period.endOn) })}` : ''}{' '}
                      {r.inForce ? null : <Badge tone="warn">{t('sickLeave.report.awaiting')}</Badge>}
                    </span>
                  ),
                },
                {
                  key: 'talon',
                  header: t('sickLeave.report.talon'),
                  label: t('sickLeave.report.talon'),
                  cell: (r) => `${t('sickLeave.report.doctor', { name: r.talon.practitionerName, uin: r.talon.practitionerUin })}; ${t('sickLeave.report.practice', { name: r.talon.facilityName, number: r.talon.facilityNumber })}; ${r.talon.diagnosisCode}`,
                },
              ]}
            />
          </div>
        </>
      ) : null}
    </div>
  );
}
