import { useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { FormProblem, Notice } from '../../../components/form.js';
import { Badge, Card } from '../../../components/ui.js';
import { useAction } from '../../../components/use-action.js';
import { useT, type MessageKey } from '../../../i18n/index.js';
import { pdfUrl, type Lkk, type LkkCase } from '../api.js';
import { useFormatDay } from '../format.js';

type Decision = 'extend' | 'refuse' | 'send_to_telk';
const SOURCE: Record<string, MessageKey> = { limit_14: 'sickLeave.source.limit_14', limit_40: 'sickLeave.source.limit_40', form6: 'sickLeave.source.form6', contest_employer: 'sickLeave.source.contest', contest_patient: 'sickLeave.source.contest' };

/**
 * One case of the ЛКК's queue: the patient and the request, the decision in the open session, then each
 * member's signature; the protocol takes effect when all have signed.
 */
export function LkkCaseCard({ c, lkk, sessionId, me, onChange }: { c: LkkCase; lkk: Lkk; sessionId: string | undefined; me: string | null; onChange: () => void }) {
  const t = useT();
  const api = useApi();
  const day = useFormatDay();
  const [decision, setDecision] = useState<Decision>('extend');
  const [text, setText] = useState('');
  const [period, setPeriod] = useState({ startOn: c.request.startOn, endOn: c.request.endOn });
  const { problem, notice, run } = useAction();
  const signed = new Set(c.signatures.map((s) => s.practitionerId));
  const decide = () =>
    void run(async () => {
      await api.sickLeave.decide(c.id, { sessionId: sessionId as string, decision, text: text.trim() || t(`sickLeave.lkk.${decision}`), ...(decision === 'extend' ? period : {}) });
      onChange();
      return t('sickLeave.lkk.decided');
    });
  const sign = () =>
    void run(async () => {
      await api.sickLeave.sign(c.id);
      onChange();
      return t('sickLeave.lkk.signed');
    });
  return (
    <Card title={c.patientName} headingLevel={3} className="sl-case">
      <p data-testid="lkk-case">
        {t('sickLeave.lkk.request', { from: day(c.request.startOn), to: day(c.request.endOn), kind: t(`sickLeave.kind.${c.request.kind}` as MessageKey), code: c.request.diagnosisCode })}
      </p>
      <p>
        {t(SOURCE[c.source] ?? 'sickLeave.source.form6')} {c.form6ReferralId ? <Badge tone="ok">{t('sickLeave.lkk.form6Attached')}</Badge> : c.form6Needed ? <Badge tone="warn">{t('sickLeave.lkk.form6Missing')}</Badge> : null}
      </p>
      {c.status === 'queued' && !sessionId ? <p className="ra-field__hint">{t('sickLeave.lkk.needSession')}</p> : null}
      {c.status === 'queued' && sessionId ? (
        <fieldset className="sl-fieldset">
          <legend>{t('sickLeave.lkk.decision')}</legend>
          {(['extend', 'refuse', 'send_to_telk'] as const).map((d) => (
            <label key={d} className="sl-radio">
              <input type="radio" name={`decision-${c.id}`} value={d} checked={decision === d} onChange={() => setDecision(d)} /> {t(`sickLeave.lkk.${d}`)}
            </label>
          ))}
          {decision === 'extend' ? (
            <div className="sl-row">
              <label className="ra-field">{t('sickLeave.field.startOn')}<input type="date" value={period.startOn} onChange={(e) => setPeriod({ ...period, startOn: e.target.value })} /></label>
              <label className="ra-field">{t('sickLeave.field.endOn')}<input type="date" value={period.endOn} onChange={(e) => setPeriod({ ...period, endOn: e.target.value })} /></label>
            </div>
          ) : null}
          <label className="ra-field">
            {t('sickLeave.lkk.protocolText')}
            <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          </label>
          <button type="button" className="button" onClick={decide}>{t('sickLeave.lkk.decideAndSign')}</button>
        </fieldset>
      ) : null}
      {c.status !== 'queued' ? (
        <>
          <p>
            <strong>{t('sickLeave.lkk.protocolNo', { no: String(c.protocolNo ?? '') })}</strong> {c.decision ? t(`sickLeave.lkk.${c.decision}` as MessageKey) : ''}
            {c.protocol?.startOn && c.protocol.endOn ? ` (${day(c.protocol.startOn)} – ${day(c.protocol.endOn)})` : ''}
          </p>
          <ul className="sl-list" aria-label={t('sickLeave.lkk.signatures')}>
            {lkk.members.map((m) => (
              <li key={m.practitionerId}>
                {m.name ?? ''} ({t(m.role === 'chair' ? 'sickLeave.lkk.chair' : 'sickLeave.lkk.member')}): {signed.has(m.practitionerId) ? t('sickLeave.lkk.hasSigned') : t('sickLeave.lkk.notSigned')}
              </li>
            ))}
          </ul>
          {c.status === 'awaiting_signatures' && me && !signed.has(me) ? <button type="button" className="button" onClick={sign}>{t('sickLeave.lkk.sign')}</button> : null}
          <p><a href={pdfUrl.lkkProtocol(c.id)} target="_blank" rel="noreferrer">{t('sickLeave.lkk.pdf')}</a></p>
        </>
      ) : null}
      <FormProblem problem={problem} />
      <Notice text={notice} />
    </Card>
  );
}
