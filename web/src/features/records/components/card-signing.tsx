import { useEffect, useId, useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useT } from '../../../i18n/index.js';
import type { SheetDraft } from '../use-sheet-draft.js';
import { agentCertificates, agentSignJws, agentStatus, holderName, pairAgent, type AgentCertificate } from '../signer-agent.js';
import { sendNhisWithCard } from '../nhis-card.js';

type AgentState = { kind: 'absent' } | { kind: 'unpaired' } | { kind: 'ready'; certificates: AgentCertificate[] };

/**
 * "Подпиши с КЕП": shown only when `distansia signer` answers on this computer. The browser pairs with
 * the agent once (the code it printed); then the server prepares what is signed, the card signs it
 * through the agent, and the server checks the signature (trusted CA, this doctor's certificate, this
 * version's content) and stores it as qualified (docs/records.md#the-local-signer). The fresh code from
 * the review form confirms it, as for every signature (docs/decisions.md#d5).
 */
export function CardSigning({ draft, code }: { draft: SheetDraft; code: string }) {
  const t = useT();
  const api = useApi();
  const ids = useId();
  const [state, setState] = useState<AgentState>({ kind: 'absent' });
  const [pairingCode, setPairingCode] = useState('');
  const [certificateId, setCertificateId] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [working, setWorking] = useState(false);

  async function refresh() {
    const status = await agentStatus();
    if (!status) return setState({ kind: 'absent' });
    if (!status.paired) return setState({ kind: 'unpaired' });
    try {
      const certificates = await agentCertificates();
      setState({ kind: 'ready', certificates });
      setCertificateId((id) => id || (certificates.find((c) => c.uin) ?? certificates[0])?.id || '');
    } catch {
      setState({ kind: 'unpaired' });
    }
  }

  useEffect(() => {
    void refresh();
  }, []);

  if (state.kind === 'absent') return null;

  async function pair() {
    setWorking(true);
    setProblem(undefined);
    try {
      await pairAgent(pairingCode.trim());
      setPairingCode('');
      await refresh();
    } catch (e) {
      setProblem(problemFromError(e));
    } finally {
      setWorking(false);
    }
  }

  function signWithCard() {
    const certificate = state.kind === 'ready' ? state.certificates.find((c) => c.id === certificateId) : undefined;
    if (!certificate) return;
    setProblem(undefined);
    void draft.signWith(async (d) => {
      const prepared = await api.records.prepareAgentSignature(d.id, d.version, [certificate.der]);
      const signature = await agentSignJws(certificate.id, prepared.signingInput);
      const signed = await api.records.signWithAgent(d.id, d.version, { code, signingInput: prepared.signingInput, signature });
      const outcome = await sendNhisWithCard(api.records, signed.id, certificate.id);
      draft.setCardNhis(outcome);
      return outcome === 'outbox' ? signed : api.records.get(signed.id).catch(() => signed);
    });
  }

  return (
    <section className="records-kep" aria-labelledby={`${ids}-card`} data-testid="card-signing">
      <h3 id={`${ids}-card`}>{t('records.card.title')}</h3>
      {problem ? <ProblemAlert problem={problem} /> : null}
      {state.kind === 'unpaired' ? (
        <form
          className="records-kep__pair"
          onSubmit={(event) => {
            event.preventDefault();
            void pair();
          }}
        >
          <p>{t('records.card.pairLead')}</p>
          <div className="ra-field">
            <label htmlFor={`${ids}-pair`}>{t('records.card.pairCode')}</label>
            <input id={`${ids}-pair`} className="records-sign__code" inputMode="numeric" autoComplete="off" value={pairingCode} onChange={(e) => setPairingCode(e.target.value)} />
          </div>
          <button type="submit" className="button button--secondary" disabled={working || pairingCode.trim().length < 4}>
            {t('records.card.pair')}
          </button>
        </form>
      ) : null}
      {state.kind === 'ready' && state.certificates.length === 0 ? <p>{t('records.card.noCertificate')}</p> : null}
      {state.kind === 'ready' && state.certificates.length > 0 ? (
        <>
          <p>{t('records.card.lead')}</p>
          {state.certificates.length > 1 ? (
            <div className="ra-field">
              <label htmlFor={`${ids}-cert`}>{t('records.card.certificate')}</label>
              <select id={`${ids}-cert`} value={certificateId} onChange={(e) => setCertificateId(e.target.value)}>
                {state.certificates.map((c) => (
                  <option key={c.id} value={c.id}>
                    {t('records.card.certificateOption', { holder: holderName(c.subject), until: c.notAfter.slice(0, 10) })}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <p data-testid="card-certificate">{t('records.card.certificateOption', { holder: holderName(state.certificates[0]?.subject ?? ''), until: state.certificates[0]?.notAfter.slice(0, 10) ?? '' })}</p>
          )}
          <button type="button" className="button" disabled={draft.busy || code.length !== 6 || !certificateId} onClick={signWithCard}>
            {t('records.card.sign')}
          </button>
          {code.length !== 6 ? <p className="ra-field__hint">{t('records.card.codeFirst')}</p> : null}
        </>
      ) : null}
    </section>
  );
}
