import { useState } from 'react';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource } from '../../../api/use-resource.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';

const CHECKLIST = ['identity_document', 'current_address_certificate', 'medical_documents', 'last_12_months_tests', 'previous_telk_decision', 'diseases_list', 'medications_list', 'parent_identity_document'] as const;

/** The patient's "Болнични и експертизи": certificates, ЛКК decisions, the TELK checklist and its clock, medical notices. */
export function MySickLeavesPage() {
  const t = useT();
  useDocumentTitle(t('sickLeave.mine.title'));
  const acting = useResource('acting-for', (a) => a.access.actingFor());
  const [selected, setSelected] = useState<string>();
  const patientId = selected ?? (acting.state === 'ready' ? acting.value.items[0]?.patientId : undefined);
  const all = useResource(patientId ? `sick-leaves:${patientId}` : null, async (a) => {
    const id = patientId as string;
    const [leaves, cases, telk, notices] = await Promise.all([a.sickLeave.sickLeaves(id), a.sickLeave.patientCases(id), a.sickLeave.telkCases(id), a.sickLeave.notices(id)]);
    return { leaves: leaves.items, cases: cases.items, telk: telk.items, notices: notices.items };
  });
  return (
    <div className="page">
      <h1>{t('sickLeave.mine.title')}</h1>
      {acting.state === 'ready' && acting.value.items.length > 1 ? (
        <select value={patientId} onChange={(e) => setSelected(e.target.value)}>
          {acting.value.items.map((p) => (
            <option key={p.patientId} value={p.patientId}>{`${p.givenName} ${p.familyName}`}</option>
          ))}
        </select>
      ) : null}
      {all.state === 'loading' ? <p>{t('sickLeave.loading')}</p> : null}
      {all.state === 'problem' ? <ProblemAlert problem={all.problem} /> : null}
      {all.state === 'ready' ? (
        <>
          <h2>{t('sickLeave.mine.leaves')}</h2>
          {all.value.leaves.length === 0 ? <p>{t('sickLeave.mine.none')}</p> : null}
          <ul data-testid="my-sick-leaves">
            {all.value.leaves.map((l) => (
              <li key={l.id}>
                {t('sickLeave.mine.leave', { from: l.startOn, to: l.endOn, days: String(l.days), kind: l.kind, issuer: l.lkkCaseId ? 'ЛКК' : l.practitioner.name, nhis: l.nrn ?? l.nhisStatus })}
                {l.duplicateOf ? ` — ${t('sickLeave.mine.duplicate')}` : ''}
              </li>
            ))}
          </ul>
          <h2>{t('sickLeave.mine.cases')}</h2>
          {all.value.cases.length === 0 ? <p>{t('sickLeave.mine.none')}</p> : null}
          <ul>
            {all.value.cases.map((c) => (
              <li key={c.id}>{`${c.request.startOn} – ${c.request.endOn}: ${c.decision ?? c.status}${c.protocolNo ? ` (протокол № ${c.protocolNo})` : ''}`}</li>
            ))}
          </ul>
          <h2>{t('sickLeave.mine.telk')}</h2>
          {all.value.telk.length === 0 ? <p>{t('sickLeave.mine.none')}</p> : null}
          {all.value.telk.map((c) => (
            <section key={c.id} data-testid="telk-case">
              <p>{t('sickLeave.mine.telkClock', { requested: c.requestedOn, earliest: c.earliestOn, due: c.dueOn })}</p>
              {c.clockSuspended ? <p>{t('sickLeave.mine.telkSuspended')}</p> : null}
              <h3>{t('sickLeave.mine.checklist')}</h3>
              <ul>
                {CHECKLIST.filter((k) => c.checklist[k] !== undefined || c.missing.includes(k)).map((k) => (
                  <li key={k}>
                    {c.missing.includes(k) ? '☐' : '☑'} {t(`sickLeave.check.${k}`)}
                  </li>
                ))}
              </ul>
            </section>
          ))}
          <h2>{t('sickLeave.mine.notices')}</h2>
          {all.value.notices.length === 0 ? <p>{t('sickLeave.mine.none')}</p> : null}
          <ul>
            {all.value.notices.map((n) => (
              <li key={n.id}>{`${n.issuedOn}: ${n.purpose} — ${n.status}`}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
