import { useState, type FormEvent } from 'react';
import { problemFromError } from '../../../api/problem.js';
import { useLanguage, useT } from '../../../i18n/index.js';
import { PractitionerInputSchema } from '../../../../../src/contracts/registry.js';
import type { Facility, Practitioner, PractitionerInput, ReferenceData } from '../api.js';
import { useResource } from '../../../api/use-resource.js';
import { useApi } from '../../../api/api-context.js';
import { Field, FormProblem, FormActions, Notice, useFormSubmit } from '../../../components/form.js';
import { personName, specialtyName } from '../format.js';
import { useAction } from '../../../components/use-action.js';
import { ResourceList } from './resource-list.js';
import { SpecialtiesField } from './specialty-options.js';

/** Specialists of a facility (Art. 4(1), 15 item 3): find by UIN, add, register, working and listed flags. */
export function SpecialistsSection({ facility, reference }: { facility: Facility; reference: ReferenceData | null }) {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi().registryAdmin;
  const practitioners = useResource(`practitioners/${facility.id}`, (a) => a.registryAdmin.practitioners(facility.id));
  const { problem, notice, setNotice, run } = useAction();

  const roleAt = (p: Practitioner) => p.roles.find((r) => r.facilityId === facility.id) ?? { facilityId: facility.id, active: false, listed: false };
  const specialties = (p: Practitioner) => p.specialtyCodes.map((c) => specialtyName(reference, c, language)).join(', ');

  async function setRole(p: Practitioner, change: { active?: boolean; listed?: boolean }) {
    const role = roleAt(p);
    await run(async () => {
      const after = await api.setPractitionerRole(facility.id, p.id, { active: change.active ?? role.active, listed: change.listed ?? role.listed });
      return t('registryAdmin.spec.roleSaved', { name: personName(after) });
    });
    practitioners.reload();
  }

  return (
    <section aria-labelledby="ra-specialists">
      <h2 id="ra-specialists">{t('registryAdmin.tab.specialists')}</h2>
      <p className="ra-muted">{t('registryAdmin.spec.intro')}</p>
      <Notice text={notice} />
      <FormProblem problem={problem} />
      <ResourceList
        resource={practitioners}
        empty={t('registryAdmin.spec.none')}
        renderItem={(p) => {
          const role = roleAt(p);
          return (
            <li key={p.id} className="ra-card">
              <div className="ra-card__head">
                <h3 className="ra-card__title">{personName(p)}</h3>
                {!p.active ? <span className="ra-badge ra-badge--withdrawn">{t('registryAdmin.spec.personInactive')}</span> : null}
              </div>
              <p className="ra-muted">
                {t('registryAdmin.spec.uinValue', { uin: p.uin })} · {specialties(p)}
              </p>
              <fieldset className="ra-choices ra-choices--inline">
                <legend className="visually-hidden">{t('registryAdmin.spec.roleLegend', { name: personName(p) })}</legend>
                <label className="ra-choice">
                  <input type="checkbox" checked={role.active} onChange={(e) => void setRole(p, { active: e.target.checked })} />
                  <span>{t('registryAdmin.spec.working')}</span>
                </label>
                <label className="ra-choice">
                  <input type="checkbox" checked={role.listed} onChange={(e) => void setRole(p, { listed: e.target.checked })} />
                  <span>{t('registryAdmin.spec.listed')}</span>
                </label>
              </fieldset>
            </li>
          );
        }}
      />
      <AddSpecialist
        facility={facility}
        reference={reference}
        onAdded={(p) => {
          setNotice(t('registryAdmin.spec.added', { name: personName(p) }));
          practitioners.reload();
        }}
      />
    </section>
  );
}

type Lookup = { state: 'idle' } | { state: 'found'; practitioner: Practitioner } | { state: 'missing'; uin: string };

function AddSpecialist({ facility, reference, onAdded }: { facility: Facility; reference: ReferenceData | null; onAdded: (p: Practitioner) => void }) {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi().registryAdmin;
  const [uin, setUin] = useState('');
  const [lookup, setLookup] = useState<Lookup>({ state: 'idle' });
  const { problem, setProblem, send } = useFormSubmit();
  const [givenName, setGivenName] = useState('');
  const [familyName, setFamilyName] = useState('');
  const [codes, setCodes] = useState<string[]>([]);

  async function find(event: FormEvent) {
    event.preventDefault();
    setProblem(undefined);
    setLookup({ state: 'idle' });
    try {
      setLookup({ state: 'found', practitioner: await api.findPractitioner(uin.trim()) });
    } catch (error) {
      const p = problemFromError(error);
      if (p.code === 'resource.not_found') setLookup({ state: 'missing', uin: uin.trim() });
      else setProblem(p);
    }
  }

  async function add(p: Practitioner) {
    setProblem(undefined);
    try {
      onAdded(await api.setPractitionerRole(facility.id, p.id, { active: true, listed: true }));
      setLookup({ state: 'idle' });
      setUin('');
    } catch (error) {
      setProblem(problemFromError(error));
    }
  }

  async function register(event: FormEvent) {
    event.preventDefault();
    if (lookup.state !== 'missing') return;
    const body: PractitionerInput = { uin: lookup.uin, givenName, familyName, specialtyCodes: codes, facilityIds: [facility.id] };
    await send(PractitionerInputSchema, body, async () => {
      onAdded(await api.registerPractitioner(body));
      setLookup({ state: 'idle' });
      setUin('');
      setGivenName('');
      setFamilyName('');
      setCodes([]);
    });
  }

  const found = lookup.state === 'found' ? lookup.practitioner : undefined;
  const alreadyHere = found?.roles.some((r) => r.facilityId === facility.id && r.active) ?? false;

  return (
    <>
      <h3>{t('registryAdmin.spec.find.title')}</h3>
      <form className="ra-form ra-form--inline" onSubmit={(e) => void find(e)} role="search">
        <Field label={t('registryAdmin.spec.uin')} pointer="#/uin" problem={problem} hint={t('registryAdmin.spec.uinHint')}>
          {(c) => <input {...c} required inputMode="numeric" pattern="\d{9,10}" maxLength={10} autoComplete="off" value={uin} onChange={(e) => setUin(e.target.value)} />}
        </Field>
        <FormActions submit={t('registryAdmin.spec.find.submit')} />
      </form>
      {lookup.state === 'idle' ? <FormProblem problem={problem} /> : null}
      {found ? (
        <div className="ra-card" aria-live="polite">
          <p>
            <strong>{personName(found)}</strong> · {found.specialtyCodes.map((c) => specialtyName(reference, c, language)).join(', ')}
          </p>
          {alreadyHere ? (
            <p>{t('registryAdmin.spec.find.already')}</p>
          ) : (
            <button type="button" className="button" onClick={() => void add(found)}>
              {t('registryAdmin.spec.find.add', { name: personName(found) })}
            </button>
          )}
          <FormProblem problem={problem} />
        </div>
      ) : null}
      {lookup.state === 'missing' ? (
        <form className="ra-form ra-card" onSubmit={(e) => void register(e)} aria-labelledby="ra-register-specialist">
          <p id="ra-register-specialist" role="status">
            {t('registryAdmin.spec.find.notFound', { uin: lookup.uin })}
          </p>
          <Field label={t('registryAdmin.spec.givenName')} pointer="#/givenName" problem={problem}>
            {(c) => <input {...c} required maxLength={100} autoComplete="off" value={givenName} onChange={(e) => setGivenName(e.target.value)} />}
          </Field>
          <Field label={t('registryAdmin.spec.familyName')} pointer="#/familyName" problem={problem}>
            {(c) => <input {...c} required maxLength={100} autoComplete="off" value={familyName} onChange={(e) => setFamilyName(e.target.value)} />}
          </Field>
          <SpecialtiesField label={t('registryAdmin.spec.specialties')} reference={reference} problem={problem} codes={codes} onChange={setCodes} />
          <FormProblem problem={problem} />
          <FormActions submit={t('registryAdmin.spec.register')} />
        </form>
      ) : null}
    </>
  );
}
