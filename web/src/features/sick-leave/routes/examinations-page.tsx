import { Link, useNavigate } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { useResource } from '../../../api/use-resource.js';
import { FormProblem } from '../../../components/form.js';
import { DataTable, EmptyState, PageHeader, ResourceView } from '../../../components/ui.js';
import { useAction } from '../../../components/use-action.js';
import { useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import type { Examination } from '../api.js';
import { ExamBanner } from '../components/exam-banner.js';
import '../sick-leave.css';

/** `/sick-leave`: the doctor's examinations of the last week; sick leave and TELK preparation start from one. */
export function ExaminationsPage() {
  const t = useT();
  useDocumentTitle(t('sickLeave.exams.title'));
  const api = useApi();
  const navigate = useNavigate();
  const when = useFormatDateTime();
  const exams = useResource('sick-leave-examinations', (a) => a.sickLeave.examinations());
  const { problem, run } = useAction();
  const telk = (e: Examination) =>
    void run(async () => {
      const c = await api.sickLeave.openTelk({ patientId: e.patient.id, facilityId: e.facilityId });
      void navigate(`/telk/${c.id}`);
      return '';
    });
  return (
    <div className="page">
      <PageHeader title={t('sickLeave.exams.title')} lead={t('sickLeave.exams.lead')} />
      <FormProblem problem={problem} />
      <ResourceView resource={exams}>
        {(v) => (
          <DataTable<Examination>
            caption={t('sickLeave.exams.title')}
            rows={v.items}
            rowKey={(e) => e.encounterId}
            empty={<EmptyState title={t('sickLeave.exams.empty')}>{t('sickLeave.exams.emptyHint')}</EmptyState>}
            columns={[
              { key: 'patient', header: t('sickLeave.exams.patient'), label: t('sickLeave.exams.patient'), cell: (e) => <ExamBanner exam={e} compact /> },
              { key: 'when', header: t('sickLeave.exams.when'), label: t('sickLeave.exams.when'), cell: (e) => when(new Date(e.startedAt)) },
              { key: 'kind', header: t('sickLeave.exams.kind'), label: t('sickLeave.exams.kind'), cell: (e) => t(`sickLeave.exam.${e.kind}`) },
              {
                key: 'act',
                header: t('sickLeave.exams.actions'),
                label: t('sickLeave.exams.actions'),
                cell: (e) => (
                  <span className="sl-actions">
                    <Link className="button" to={`/sick-leave/issue/${e.encounterId}`}>{t('sickLeave.exams.issue')}</Link>
                    <Link className="button button--secondary" to={`/sick-leave/notice/${e.encounterId}`}>{t('sickLeave.exams.notice')}</Link>
                    <button type="button" className="button button--secondary" onClick={() => telk(e)}>{t('sickLeave.exams.telk')}</button>
                  </span>
                ),
              },
            ]}
          />
        )}
      </ResourceView>
    </div>
  );
}
