import { useState } from 'react';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource } from '../../../api/use-resource.js';
import { Badge, Card, EmptyState, PageHeader, Skeleton } from '../../../components/ui.js';
import { useDocumentTitle, useT, type MessageKey } from '../../../i18n/index.js';
import { pdfUrl } from '../api.js';
import { TelkChecklist, TelkClock } from '../components/telk-checklist.js';
import { useFormatDay } from '../format.js';
import '../sick-leave.css';

/** The patient's "Болнични и експертизи": certificates, ЛКК decisions, the TELK checklist and its clock, medical notices. */
export function MySickLeavesPage() {
  const t = useT();
  useDocumentTitle(t('sickLeave.mine.title'));
  const day = useFormatDay();
  const acting = useResource('acting-for', (a) => a.access.actingFor());
  const [selected, setSelected] = useState<string>();
  const patientId = selected ?? (acting.state === 'ready' ? acting.value.items[0]?.patientId : undefined);
  const all = useResource(patientId ? `sick-leaves:${patientId}` : null, async (a) => {
    const id = patientId as string;
    const [leaves, cases, telk, notices] = await Promise.all([a.sickLeave.sickLeaves(id), a.sickLeave.patientCases(id), a.sickLeave.telkCases(id), a.sickLeave.notices(id)]);
    return { leaves: leaves.items, cases: cases.items, telk: telk.items, notices: notices.items };
  });
  const none = <p className="sl-none">{t('sickLeave.mine.none')}</p>;
  return (
    <div className="page sl-page">
      <PageHeader title={t('sickLeave.mine.title')} lead={t('sickLeave.mine.lead')} />
      {acting.state === 'ready' && acting.value.items.length > 1 ? (
        <label className="ra-field">
          {t('sickLeave.mine.for')}
          <select value={patientId} onChange={(e) => setSelected(e.target.value)}>
            {acting.value.items.map((p) => (
              <option key={p.patientId} value={p.patientId}>{`${p.givenName} ${p.familyName}`}</option>
            ))}
          </select>
        </label>
      ) : null}
      {acting.state === 'ready' && !patientId ? <EmptyState title={t('sickLeave.mine.none')} /> : null}
      {all.state === 'loading' && patientId ? <Skeleton lines={6} /> : null}
      {all.state === 'problem' ? <ProblemAlert problem={all.problem} /> : null}
      {all.state === 'ready' ? (
        <>
          <h2>{t('sickLeave.mine.leaves')}</h2>
          {all.value.leaves.length === 0 ? none : null}
          <div className="sl-cases" data-testid="my-sick-leaves">
            {all.value.leaves.map((l) => (
              <Card key={l.id} headingLevel={3} title={t('sickLeave.mine.period', { from: day(l.startOn), to: day(l.endOn) })} className="sl-case">
                <p>
                  {t('sickLeave.mine.days', { days: String(l.days) })} · {t(`sickLeave.kind.${l.kind}` as MessageKey)}{' '}
                  {l.marking ? <Badge tone="warn">{t('sickLeave.mine.duplicate')}</Badge> : null}
                </p>
                <p>{l.lkkCaseId ? t('sickLeave.mine.byLkk') : t('sickLeave.mine.by', { name: l.practitioner.name })}</p>
                <p>{t('sickLeave.mine.employer', { name: l.employer.name })}</p>
                <p>{l.nhisStatus === 'recorded' ? <Badge tone="ok">{t('sickLeave.mine.recorded')}</Badge> : l.nhisStatus === 'rejected' ? <Badge tone="danger">{t('sickLeave.mine.rejected')}</Badge> : <Badge tone="info">{t('sickLeave.mine.pending')}</Badge>}</p>
                <p><a href={pdfUrl.sickLeave(l.id)} target="_blank" rel="noreferrer">{t('sickLeave.pdf')}</a></p>
              </Card>
            ))}
          </div>
          <h2>{t('sickLeave.mine.cases')}</h2>
          {all.value.cases.length === 0 ? none : null}
          <ul className="sl-list">
            {all.value.cases.map((c) => (
              <li key={c.id}>
                {t('sickLeave.mine.case', { from: day(c.request.startOn), to: day(c.request.endOn) })}{' '}
                {c.decision && c.status === 'decided' ? t(`sickLeave.lkk.${c.decision}` as MessageKey) : t('sickLeave.mine.caseWaiting')}
                {c.status !== 'queued' ? <> · <a href={pdfUrl.lkkProtocol(c.id)} target="_blank" rel="noreferrer">{t('sickLeave.lkk.pdf')}</a></> : null}
              </li>
            ))}
          </ul>
          <h2>{t('sickLeave.mine.telk')}</h2>
          {all.value.telk.length === 0 ? none : null}
          {all.value.telk.map((c) => (
            <Card key={c.id} headingLevel={3} title={t('sickLeave.telk.title')} className="sl-case">
              <div data-testid="telk-case">
                <TelkClock c={c} />
                <h4 className="sl-subtitle">{t('sickLeave.mine.checklist')}</h4>
                <TelkChecklist c={c} />
                {c.missing.length > 0 ? <p>{t('sickLeave.mine.bring')}</p> : null}
                <p><a href={pdfUrl.telkBundle(c.id)} target="_blank" rel="noreferrer">{t('sickLeave.telk.bundlePdf')}</a></p>
              </div>
            </Card>
          ))}
          <h2>{t('sickLeave.mine.notices')}</h2>
          {all.value.notices.length === 0 ? none : null}
          <ul className="sl-list">
            {all.value.notices.map((n) => (
              <li key={n.id}>
                {`${day(n.issuedOn)}: ${t(`sickLeave.purpose.${n.purpose}` as MessageKey)}`} {n.status === 'cancelled' ? <Badge tone="warn">{t('sickLeave.mine.cancelled')}</Badge> : null}{' '}
                <a href={pdfUrl.notice(n.id)} target="_blank" rel="noreferrer">{t('sickLeave.notice.pdf')}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
