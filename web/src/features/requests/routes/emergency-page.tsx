import { useEffect, useState, type FormEvent } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { problemOf, useResource, valueOf } from '../../../api/use-resource.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import type { RequestWithAppointment } from '../api.js';
import { RequestCard } from '../components.js';
import '../requests.css';

/** A specialist files an emergency consultation to a contracted facility (Art. 14(3)) and sees who accepts. */
export function EmergencyPage() {
  const t = useT();
  useDocumentTitle(t('requests.emergency.title'));
  const api = useApi();
  const loaded = useResource('emergency/targets', (a) => a.requests.emergencyTargets());
  const targets = valueOf(loaded)?.items;
  const [sendProblem, setProblem] = useState<Problem>();
  const problem = sendProblem ?? problemOf(loaded);
  const [filed, setFiled] = useState<RequestWithAppointment>();
  const [busy, setBusy] = useState(false);

  // Until someone acknowledges, refresh every 3 seconds.
  useEffect(() => {
    if (!filed || filed.request.status !== 'requested') return;
    const timer = window.setInterval(() => {
      api.requests.get(filed.request.id).then(
        (d) => setFiled({ request: d.request, appointment: d.appointment }),
        () => undefined,
      );
    }, 3000);
    return () => window.clearInterval(timer);
  }, [api, filed]);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const [requesterFacilityId, facilityId, specialtyCode] = String(f.get('target') ?? '').split('|');
    const circumstances = String(f.get('circumstances') ?? '').trim();
    setBusy(true);
    setProblem(undefined);
    try {
      setFiled(
        await api.requests.create({
          urgency: 'emergency',
          mode: 'synchronous',
          facilityId: facilityId ?? '',
          specialtyCode: specialtyCode ?? '',
          requesterFacilityId,
          phone: String(f.get('phone') ?? ''),
          ...(circumstances ? { circumstances } : {}),
        }),
      );
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="emergency-title">
      <h1 id="emergency-title">{t('requests.emergency.title')}</h1>
      {problem ? <ProblemAlert problem={problem} /> : null}
      {filed ? (
        <div role="status">
          <RequestCard item={filed} />
          {filed.request.status === 'requested' ? <p>{t('requests.emergency.waiting')}</p> : null}
        </div>
      ) : (
        <form className="booking-form" onSubmit={(e) => void submit(e)}>
          <label>
            {t('requests.emergency.target')}
            <select name="target" required>
              {targets?.flatMap((x) =>
                x.specialties.map((s) => (
                  <option key={`${x.requesterFacilityId}|${x.facilityId}|${s.code}`} value={`${x.requesterFacilityId}|${x.facilityId}|${s.code}`}>
                    {x.facilityName} — {s.name} ({t('requests.emergency.onDuty', { n: s.onDuty })})
                  </option>
                )),
              )}
            </select>
          </label>
          <label>
            {t('requests.emergency.phone')}
            <input name="phone" type="tel" required />
          </label>
          <label>
            {t('requests.form.circumstances')}
            <textarea name="circumstances" rows={3} />
          </label>
          <button type="submit" disabled={busy || !targets?.length}>
            {t('requests.emergency.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
