import { useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { FormProblem } from '../../../components/form.js';
import { useAction } from '../../../components/use-action.js';
import { useT } from '../../../i18n/index.js';
import type { Examination, RouteToLkkBody } from '../api.js';

export interface Routing {
  source: 'limit_14' | 'limit_40';
  lkks: { id: string; name: string; facilityId: string }[];
}

/**
 * Beyond the limits the ЛКК decides (R-SL-03): the doctor picks the commission; a № 6 is issued on the
 * same examination with the TOTP code (НРД R-46) and the case cites it.
 */
export function LkkRouting({ routing, exam, request, code, onRouted }: { routing: Routing; exam: Examination; request: RouteToLkkBody['request']; code: string; onRouted: () => void }) {
  const t = useT();
  const api = useApi();
  const [lkkId, setLkkId] = useState(routing.lkks[0]?.id ?? '');
  const { problem, run } = useAction();
  if (routing.lkks.length === 0) return <p>{t('sickLeave.refused.noLkk')}</p>;
  const route = () =>
    void run(async () => {
      const form6 = await api.sickLeave.issueForm6({ encounterId: exam.encounterId, diagnosisCode: request.diagnosisCode, request: t('sickLeave.form6Request', { from: request.startOn, to: request.endOn }), code });
      await api.sickLeave.route({ lkkId, facilityId: exam.facilityId, patientId: exam.patient.id, source: routing.source, request, form6ReferralId: form6.id });
      onRouted();
      return '';
    });
  return (
    <section className="sl-routing" aria-labelledby="sl-routing-title">
      <h2 id="sl-routing-title">{t('sickLeave.refused.title')}</h2>
      <p>{t('sickLeave.refused.text')}</p>
      {routing.lkks.length > 1 ? (
        <label className="ra-field">
          {t('sickLeave.lkk.choose')}
          <select value={lkkId} onChange={(e) => setLkkId(e.target.value)}>
            {routing.lkks.map((l) => (
              <option key={l.id} value={l.id}>{l.name}</option>
            ))}
          </select>
        </label>
      ) : (
        <p>{t('sickLeave.refused.to', { name: routing.lkks[0]?.name ?? '' })}</p>
      )}
      <FormProblem problem={problem} />
      <button type="button" className="button" onClick={route}>{t('sickLeave.refused.route')}</button>
    </section>
  );
}
