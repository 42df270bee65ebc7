import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource } from '../../../api/use-resource.js';
import { FormProblem, Notice } from '../../../components/form.js';
import { EmptyState, PageHeader, Skeleton } from '../../../components/ui.js';
import { useAction } from '../../../components/use-action.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';
import { LkkCaseCard } from '../components/lkk-case-card.js';
import { sofiaDay, useFormatDay } from '../format.js';
import '../sick-leave.css';

/** `/lkk`: the commission's queue; a member opens today's session, decides each case, and members sign. */
export function LkkPage() {
  const t = useT();
  useDocumentTitle(t('sickLeave.lkk.title'));
  const api = useApi();
  const { me } = useAuth();
  const day = useFormatDay();
  const myId = me?.role === 'specialist' ? me.practitionerId : null;
  const lkks = useResource('lkks', (a) => a.sickLeave.lkks());
  const mine = lkks.state === 'ready' ? lkks.value.items.filter((l) => l.members.some((m) => m.practitionerId === myId)) : [];
  const [lkkId, setLkkId] = useState<string>();
  const lkk = mine.find((l) => l.id === lkkId) ?? mine[0];
  const queue = useResource(lkk ? `lkk-queue:${lkk.id}` : null, (a) => a.sickLeave.queue(lkk?.id ?? ''));
  const [session, setSession] = useState<{ id: string; heldOn: string }>();
  const { problem, notice, run } = useAction();
  const today = sofiaDay(new Date());
  return (
    <div className="page sl-page">
      <PageHeader
        title={t('sickLeave.lkk.title')}
        lead={lkk ? `${lkk.name} · ${lkk.orderRef}` : undefined}
        actions={lkk?.members.some((m) => m.practitionerId === myId && m.role === 'chair') ? <Link className="button button--secondary" to="/lkk/report">{t('sickLeave.report.link')}</Link> : undefined}
      />
      {lkks.state === 'loading' ? <Skeleton /> : null}
      {lkks.state === 'problem' ? <ProblemAlert problem={lkks.problem} /> : null}
      {lkks.state === 'ready' && !lkk ? <EmptyState title={t('sickLeave.lkk.notMember')}>{t('sickLeave.lkk.notMemberHint')}</EmptyState> : null}
      {mine.length > 1 ? (
        <label className="ra-field">
          {t('sickLeave.lkk.choose')}
          <select value={lkk?.id} onChange={(e) => setLkkId(e.target.value)}>
            {mine.map((l) => (
              <option key={l.id} value={l.id}>{l.name}</option>
            ))}
          </select>
        </label>
      ) : null}
      {lkk ? (
        <section className="sl-session" aria-label={t('sickLeave.lkk.sessionLabel')}>
          {session ? (
            <p>{t('sickLeave.lkk.sessionOpen', { day: day(session.heldOn) })}</p>
          ) : (
            <button type="button" className="button" onClick={() => void run(async () => {
              const s = await api.sickLeave.openSession(lkk.id, today);
              setSession({ id: s.id, heldOn: s.heldOn });
              return '';
            })}>
              {t('sickLeave.lkk.session')}
            </button>
          )}
          <FormProblem problem={problem} />
          <Notice text={notice} />
        </section>
      ) : null}
      {lkk ? <h2>{t('sickLeave.lkk.queue')}</h2> : null}
      {queue.state === 'loading' && lkk ? <Skeleton /> : null}
      {queue.state === 'problem' ? <ProblemAlert problem={queue.problem} /> : null}
      {queue.state === 'ready' && lkk ? (
        queue.value.items.length === 0 ? (
          <EmptyState title={t('sickLeave.lkk.empty')}>{t('sickLeave.lkk.emptyHint')}</EmptyState>
        ) : (
          <div className="sl-cases">
            {queue.value.items.map((c) => (
              <LkkCaseCard key={c.id} c={c} lkk={lkk} sessionId={session?.id} me={myId} onChange={queue.reload} />
            ))}
          </div>
        )
      ) : null}
    </div>
  );
}
