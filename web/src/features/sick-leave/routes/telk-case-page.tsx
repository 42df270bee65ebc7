import { Link, useParams } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { useResource } from '../../../api/use-resource.js';
import { FormProblem, Notice } from '../../../components/form.js';
import { Callout, PageHeader, ResourceView } from '../../../components/ui.js';
import { useAction } from '../../../components/use-action.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { pdfUrl } from '../api.js';
import { ExamBanner } from '../components/exam-banner.js';
import { TelkChecklist, TelkClock } from '../components/telk-checklist.js';
import '../sick-leave.css';

/**
 * `/telk/:id`: the doctor prepares the TELK documents (W16): the 30-day clock that pauses in June and
 * December, the checklist ticked as documents arrive, and completion blocked while any is missing.
 */
export function TelkCasePage() {
  const t = useT();
  useDocumentTitle(t('sickLeave.telk.title'));
  const { id = '' } = useParams();
  const api = useApi();
  const telk = useResource(`telk:${id}`, (a) => a.sickLeave.telkCase(id));
  const exams = useResource('sick-leave-examinations', (a) => a.sickLeave.examinations());
  const { problem, notice, run } = useAction();
  const patientId = telk.state === 'ready' ? telk.value.patientId : undefined;
  const exam = exams.state === 'ready' ? exams.value.items.find((e) => e.patient.id === patientId) : undefined;
  const update = (body: { checklist?: Record<string, boolean>; complete?: boolean }, done: string) =>
    void run(async () => {
      const c = await api.sickLeave.updateTelk(id, body);
      if (telk.state === 'ready') telk.set(c);
      return done;
    });
  return (
    <div className="page sl-page">
      <p><Link to="/sick-leave">{t('sickLeave.issue.back')}</Link></p>
      {exam ? <ExamBanner exam={exam} /> : null}
      <PageHeader title={t('sickLeave.telk.title')} lead={t('sickLeave.telk.lead')} />
      <ResourceView resource={telk}>
        {(c) => (
          <>
            <TelkClock c={c} />
            <h2>{t('sickLeave.mine.checklist')}</h2>
            <TelkChecklist c={c} {...(c.completedOn ? {} : { onToggle: (k: string, v: boolean) => update({ checklist: { [k]: v } }, t('sickLeave.telk.saved')) })} />
            {c.missing.length > 0 && !c.completedOn ? <Callout tone="warn">{t('sickLeave.telk.blocked', { count: String(c.missing.length) })}</Callout> : null}
            <FormProblem problem={problem} />
            <Notice text={notice} />
            <p><a href={pdfUrl.telkBundle(c.id)} target="_blank" rel="noreferrer">{t('sickLeave.telk.bundlePdf')}</a></p>
            {c.completedOn ? null : (
              <button type="button" className="button" onClick={() => update({ complete: true }, t('sickLeave.telk.completed'))}>
                {t('sickLeave.telk.complete')}
              </button>
            )}
          </>
        )}
      </ResourceView>
    </div>
  );
}
