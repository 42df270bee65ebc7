import { useState, type FormEvent } from 'react';
import { problemFromError } from '../../../api/problem.js';
import { useLanguage, useT } from '../../../i18n/index.js';
import { EmergencyContractInputSchema } from '../../../../../src/contracts/registry.js';
import type { EmergencyContract, EmergencyContractInput, Facility, ReferenceData } from '../api.js';
import { useResource } from '../../../api/use-resource.js';
import { useApi } from '../../../api/api-context.js';
import { Field, FormProblem, FormActions, Notice, useFormSubmit } from '../../../components/form.js';
import { formatDate, specialtyName, todayInSofia } from '../format.js';
import { useAction } from '../../../components/use-action.js';
import { FacilityName } from './facility-name.js';
import { ResourceList } from './resource-list.js';
import { SpecialtiesField } from './specialty-options.js';

/** Art. 14(3) emergency-consultation contracts of a facility: record and terminate. */
export function EmergencySection({ facility, reference }: { facility: Facility; reference: ReferenceData | null }) {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi().registryAdmin;
  const contracts = useResource(`emergency/${facility.id}`, (a) => a.registryAdmin.emergencyContracts(facility.id));
  const managed = useResource('facilities', (a) => a.registryAdmin.facilities());
  const { problem, notice, setNotice, run } = useAction();
  // Undefined while the administered facilities load, so no other party is looked up needlessly.
  const known = managed.state === 'loading' ? undefined : new Map<string, string>([...(managed.state === 'ready' ? managed.value.items : []), facility].map((f) => [f.id, f.name]));

  async function terminate(c: EmergencyContract) {
    await run(async () => {
      await api.terminateEmergencyContract(c.id, c.version);
      return t('registryAdmin.emg.terminated', { reference: c.reference });
    });
    contracts.reload();
  }

  return (
    <section aria-labelledby="ra-emergency">
      <h2 id="ra-emergency">{t('registryAdmin.tab.emergency')}</h2>
      <p className="ra-muted">{t('registryAdmin.emg.intro')}</p>
      <Notice text={notice} />
      <FormProblem problem={problem} />
      <ResourceList
        resource={contracts}
        empty={t('registryAdmin.emg.none')}
        renderItem={(c) => (
          <li key={c.id} className="ra-card">
            <div className="ra-card__head">
              <h3 className="ra-card__title">{c.reference}</h3>
              <span className={`ra-badge ra-badge--${c.status === 'active' ? 'active' : 'withdrawn'}`}>{t(`registryAdmin.emg.status.${c.status}`)}</span>
            </div>
            <dl className="ra-facts">
              <dt>{t('registryAdmin.emg.requester')}</dt>
              <dd>
                <FacilityName id={c.requesterFacilityId} known={known} />
              </dd>
              <dt>{t('registryAdmin.emg.provider')}</dt>
              <dd>
                <FacilityName id={c.providerFacilityId} known={known} />
              </dd>
              <dt>{t('registryAdmin.emg.specialties')}</dt>
              <dd>{c.specialtyCodes.map((code) => specialtyName(reference, code, language)).join(', ')}</dd>
              <dt>{t('registryAdmin.emg.validity')}</dt>
              <dd>
                {formatDate(c.validFrom, language)} – {c.validTo ? formatDate(c.validTo, language) : t('registryAdmin.emg.open')}
              </dd>
            </dl>
            {c.status === 'active' ? (
              <div className="ra-actions">
                <button type="button" className="button button--secondary" onClick={() => void terminate(c)} aria-label={`${t('registryAdmin.emg.terminate')}: ${c.reference}`}>
                  {t('registryAdmin.emg.terminate')}
                </button>
              </div>
            ) : null}
          </li>
        )}
      />
      <NewContract
        facility={facility}
        reference={reference}
        managed={managed.state === 'ready' ? managed.value.items : []}
        onRecorded={(c) => {
          setNotice(t('registryAdmin.emg.recorded', { reference: c.reference }));
          contracts.reload();
        }}
      />
    </section>
  );
}

function NewContract({ facility, reference, managed, onRecorded }: { facility: Facility; reference: ReferenceData | null; managed: readonly Facility[]; onRecorded: (c: EmergencyContract) => void }) {
  const t = useT();
  const api = useApi().registryAdmin;
  const [side, setSide] = useState<'requester' | 'provider'>('requester');
  const [query, setQuery] = useState('');
  const [candidates, setCandidates] = useState<{ id: string; name: string; settlement: string }[]>();
  const [partnerId, setPartnerId] = useState('');
  const [contractRef, setContractRef] = useState('');
  const [codes, setCodes] = useState<string[]>([]);
  const [validFrom, setValidFrom] = useState(todayInSofia);
  const [validTo, setValidTo] = useState('');
  const { problem, setProblem, send } = useFormSubmit();

  async function search() {
    const q = query.trim();
    if (q.length < 2) return;
    setProblem(undefined);
    // Coordinators administer every facility; the public directory adds those the user does not administer.
    const own = managed.filter((f) => f.id !== facility.id && f.name.toLocaleLowerCase().includes(q.toLocaleLowerCase())).map((f) => ({ id: f.id, name: f.name, settlement: f.settlement }));
    try {
      const found = await api.findFacilities(q);
      const merged = [...own, ...found.items.filter((f) => f.id !== facility.id && !own.some((o) => o.id === f.id)).map((f) => ({ id: f.id, name: f.name, settlement: f.settlement }))];
      setCandidates(merged);
      setPartnerId(merged[0]?.id ?? '');
    } catch (error) {
      setCandidates(own);
      setPartnerId(own[0]?.id ?? '');
      setProblem(problemFromError(error));
    }
  }

  async function record(event: FormEvent) {
    event.preventDefault();
    const body: EmergencyContractInput = {
      requesterFacilityId: side === 'requester' ? facility.id : partnerId,
      providerFacilityId: side === 'requester' ? partnerId : facility.id,
      reference: contractRef,
      specialtyCodes: codes,
      validFrom,
      ...(validTo ? { validTo } : {}),
    };
    await send(EmergencyContractInputSchema, body, async () => {
      onRecorded(await api.recordEmergencyContract(body));
      setContractRef('');
      setCodes([]);
      setValidTo('');
    });
  }

  const partnerPointer = side === 'requester' ? '#/providerFacilityId' : '#/requesterFacilityId';

  return (
    <>
      <h3>{t('registryAdmin.emg.new')}</h3>
      <form className="ra-form" onSubmit={(e) => void record(e)}>
        <fieldset className="ra-choices">
          <legend>{t('registryAdmin.emg.side')}</legend>
          {(['requester', 'provider'] as const).map((s) => (
            <label key={s} className="ra-choice">
              <input type="radio" name="emergency-side" checked={side === s} onChange={() => setSide(s)} />
              <span>{t(`registryAdmin.emg.side.${s}`)}</span>
            </label>
          ))}
        </fieldset>
        <div className="ra-row ra-row--search">
          <Field label={t('registryAdmin.emg.partnerSearch')} hint={t('registryAdmin.emg.partnerSearchHint')} {...(candidates?.length ? {} : { pointer: partnerPointer, problem })}>
            {(c) => (
              <input
                {...c}
                type="search"
                value={query}
                onChange={(e) => setQuery(e.target.value)}
                onKeyDown={(e) => {
                  // Enter searches here rather than submitting the contract.
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    void search();
                  }
                }}
              />
            )}
          </Field>
          <button type="button" className="button button--secondary" onClick={() => void search()}>
            {t('registryAdmin.emg.search')}
          </button>
        </div>
        {candidates ? (
          candidates.length === 0 ? (
            <p role="status">{t('registryAdmin.emg.noResults')}</p>
          ) : (
            <Field label={t('registryAdmin.emg.partner')} pointer={partnerPointer} problem={problem}>
              {(c) => (
                <select {...c} required value={partnerId} onChange={(e) => setPartnerId(e.target.value)}>
                  {candidates.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.name} – {f.settlement}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )
        ) : null}
        <Field label={t('registryAdmin.emg.reference')} pointer="#/reference" problem={problem}>
          {(c) => <input {...c} required maxLength={200} value={contractRef} onChange={(e) => setContractRef(e.target.value)} />}
        </Field>
        <SpecialtiesField label={t('registryAdmin.emg.specialties')} reference={reference} problem={problem} codes={codes} onChange={setCodes} />
        <div className="ra-row">
          <Field label={t('registryAdmin.emg.validFrom')} pointer="#/validFrom" problem={problem}>
            {(c) => <input {...c} type="date" required value={validFrom} onChange={(e) => setValidFrom(e.target.value)} />}
          </Field>
          <Field label={t('registryAdmin.emg.validTo')} pointer="#/validTo" problem={problem} hint={t('registryAdmin.common.optional')}>
            {(c) => <input {...c} type="date" min={validFrom} value={validTo} onChange={(e) => setValidTo(e.target.value)} />}
          </Field>
        </div>
        <FormProblem problem={problem} />
        <FormActions submit={t('registryAdmin.emg.submit')} />
      </form>
    </>
  );
}
