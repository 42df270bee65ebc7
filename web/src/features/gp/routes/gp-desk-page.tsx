import { useState } from 'react';
import { Link } from 'react-router';
import { Notice } from '../../../components/form.js';
import { PageHeader } from '../../../components/ui.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';
import type { GpDeskLookup, GpDeskLookupBody, GpRegistration } from '../api.js';
import { DeskChoiceForm } from '../components/desk-choice-form.js';
import { DeskLookupFacts, DeskLookupForm, usePlainDate } from '../components/desk-lookup.js';
import '../gp.css';

/**
 * The GP practice's desk registers a patient on a GP's list from the presented forms (W8-W10): the
 * patient is found from the identity document, the desk sees the GP today, the change window (R-GP-02)
 * and the insurance status (R-NHIF-01), then records the choice; refusals name the rule in words.
 */
export function GpDeskPage() {
  const t = useT();
  useDocumentTitle(t('gpDesk.title'));
  const { me } = useAuth();
  const facilityId = me?.facilityIds[0] ?? null;
  const [found, setFound] = useState<{ presented: GpDeskLookupBody; lookup: GpDeskLookup; attempt: number }>();
  const [done, setDone] = useState<{ registration: GpRegistration; name: string }>();
  const [round, setRound] = useState(0);
  const day = usePlainDate();
  return (
    <div className="page gp-page gp-desk">
      <PageHeader title={t('gpDesk.title')} lead={t('gpDesk.lead')} actions={<Link to="/practice/desk">{t('practice.desk.title')}</Link>} />
      {!facilityId ? <p>{t('gpDesk.noPractice')}</p> : null}
      {facilityId && done ? (
        <div className="gp-desk-done">
          <Notice text={t('gpDesk.done', { name: done.name, gp: done.registration.practitioner.name, date: day(done.registration.startsOn) })} />
          <button
            type="button"
            className="button"
            onClick={() => {
              setDone(undefined);
              setFound(undefined);
              setRound((r) => r + 1);
            }}
          >
            {t('gpDesk.again')}
          </button>
        </div>
      ) : null}
      {facilityId && !done ? (
        <div className="gp-desk-steps">
          <DeskLookupForm key={round} facilityId={facilityId} onFound={(presented, lookup) => setFound((f) => ({ presented, lookup, attempt: (f?.attempt ?? 0) + 1 }))} />
          {found ? (
            <>
              <DeskLookupFacts found={found.lookup} />
              <DeskChoiceForm
                key={`${found.lookup.patientId}-${found.attempt}`}
                facilityId={facilityId}
                presented={found.presented}
                found={found.lookup}
                onDone={(registration) => setDone({ registration, name: `${found.presented.givenName} ${found.presented.familyName}` })}
              />
            </>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
