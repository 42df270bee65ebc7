import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useDocumentTitle, useLanguage, useT, type Translate } from '../../../i18n/index.js';
import type { Centre } from '../api.js';
import { AdminGate } from '../components/admin-gate.js';
import { ContractForm, MemberForm } from '../components/centre-forms.js';
import { FacilityName } from '../components/facility-name.js';
import { useResource } from '../../../api/use-resource.js';
import { useApi } from '../../../api/api-context.js';
import { useReferenceData } from '../use-reference-data.js';
import { FormProblem, Notice } from '../../../components/form.js';
import { formatDate, specialtyName } from '../format.js';
import { useAction } from '../../../components/use-action.js';
import '../registry-admin.css';

type Member = Centre['members'][number];

/**
 * One item of what a centre's contract lacks (R-TM-21), as `centreMissing` names them on the server:
 * `head`, `contract_reference`, `members`, `rights_obligations:<facility>`, `structures:<facility>`,
 * `ineligible:<facility>`.
 */
export function missingText(t: Translate, item: string, nameOf: (facilityId: string) => string): string {
  const [kind = '', facilityId = ''] = item.split(':');
  switch (kind) {
    case 'head':
      return t('registryAdmin.centre.missing.head');
    case 'contract_reference':
      return t('registryAdmin.centre.missing.contract_reference');
    case 'members':
      return t('registryAdmin.centre.missing.members');
    case 'rights_obligations':
      return t('registryAdmin.centre.missing.rights_obligations', { facility: nameOf(facilityId) });
    case 'structures':
      return t('registryAdmin.centre.missing.structures', { facility: nameOf(facilityId) });
    case 'ineligible':
      return t('registryAdmin.centre.missing.ineligible', { facility: nameOf(facilityId) });
    default:
      return item;
  }
}

function MissingList({ missing, nameOf }: { missing: readonly string[]; nameOf: (id: string) => string }) {
  const t = useT();
  return (
    <ul className="ra-missing">
      {missing.map((m) => (
        <li key={m} data-missing={m}>
          {missingText(t, m, nameOf)}
        </li>
      ))}
    </ul>
  );
}

/** `/admin/centres/:id`: a centre's Art. 5(4) contract, members, and activation once complete (R-TM-21). */
export function CentrePage() {
  const t = useT();
  const { id = '' } = useParams();
  const centre = useResource(`centre/${id}`, (api) => api.registryAdmin.centre(id));
  useDocumentTitle(centre.state === 'ready' ? centre.value.name : t('registryAdmin.centres.title'));
  return (
    <div className="page registry-admin">
      <p className="ra-back">
        <Link to="/admin/centres">{t('registryAdmin.centre.back')}</Link>
      </p>
      <AdminGate>
        {(me) => (
          <>
            {centre.state === 'loading' ? <p role="status">{t('registryAdmin.common.loading')}</p> : null}
            {centre.state === 'problem' ? (
              <>
                <h1>{t('registryAdmin.centres.title')}</h1>
                <FormProblem problem={centre.problem} />
              </>
            ) : null}
            {centre.state === 'ready' ? <CentreDetails centre={centre.value} coordinator={me.role === 'coordinator'} onCentre={centre.set} reload={centre.reload} /> : null}
          </>
        )}
      </AdminGate>
    </div>
  );
}

function CentreDetails({ centre, coordinator, onCentre, reload }: { centre: Centre; coordinator: boolean; onCentre: (c: Centre) => void; reload: () => void }) {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi().registryAdmin;
  const reference = useReferenceData();
  const facilities = useResource('facilities', (a) => a.registryAdmin.facilities());
  const { problem, setProblem, notice, setNotice, run } = useAction();
  const [editing, setEditing] = useState<string>();
  // Undefined while the administered facilities load, so no member is looked up in the directory needlessly.
  const known = facilities.state === 'loading' ? undefined : new Map<string, string>(facilities.state === 'ready' ? facilities.value.items.map((f) => [f.id, f.name]) : []);
  const nameOf = (facilityId: string) => known?.get(facilityId) ?? facilityId;

  async function act(action: 'activate' | 'suspend') {
    const done = await run(async () => {
      const after = action === 'activate' ? await api.activateCentre(centre.id, centre.version) : await api.suspendCentre(centre.id, centre.version);
      onCentre(after);
      return t(action === 'activate' ? 'registryAdmin.centre.activated' : 'registryAdmin.centre.suspended');
    });
    if (!done) reload();
  }

  async function removeMember(m: Member) {
    await run(async () => {
      onCentre(await api.removeCentreMember(centre.id, m.facilityId));
      return t('registryAdmin.centre.memberRemoved', { facility: nameOf(m.facilityId) });
    });
  }

  return (
    <>
      <h1>
        {centre.name} <span className={`ra-badge ra-badge--${centre.status}`}>{t(`registryAdmin.centre.status.${centre.status}`)}</span>
      </h1>

      <section aria-labelledby="ra-centre-state" className={centre.missing.length > 0 ? 'ra-panel ra-panel--missing' : 'ra-panel ra-panel--complete'}>
        <h2 id="ra-centre-state">{t(centre.missing.length > 0 ? 'registryAdmin.centre.missing.title' : 'registryAdmin.centre.completeTitle')}</h2>
        {centre.missing.length > 0 ? (
          <>
            <p>{t('registryAdmin.centre.missing.intro')}</p>
            <MissingList missing={centre.missing} nameOf={nameOf} />
          </>
        ) : (
          <p>{t(centre.status === 'active' ? 'registryAdmin.centre.completeActive' : 'registryAdmin.centre.complete')}</p>
        )}
        {centre.activatedAt ? <p className="ra-muted">{t('registryAdmin.centre.activatedAt', { date: formatDate(centre.activatedAt.slice(0, 10), language) })}</p> : null}
        <Notice text={notice} />
        {/* A refusal (R-TM-21) reloads the centre, so the list above is what the server found missing. */}
        <FormProblem problem={problem} />
        {coordinator ? (
          <div className="ra-actions">
            {centre.status !== 'active' ? (
              <button type="button" className="button" onClick={() => void act('activate')}>
                {t('registryAdmin.centre.activate')}
              </button>
            ) : (
              <button type="button" className="button button--danger" onClick={() => void act('suspend')}>
                {t('registryAdmin.centre.suspend')}
              </button>
            )}
          </div>
        ) : null}
      </section>

      <section aria-labelledby="ra-centre-contract">
        <h2 id="ra-centre-contract">{t('registryAdmin.centre.contract')}</h2>
        {coordinator ? (
          <ContractForm
            centre={centre}
            onSave={async (input) => {
              setNotice(undefined);
              onCentre(await api.updateCentre(centre.id, input));
              // An earlier refusal no longer describes the contract.
              setProblem(undefined);
              setNotice(t('registryAdmin.centre.contractSaved'));
            }}
          />
        ) : (
          <dl className="ra-facts">
            <dt>{t('registryAdmin.centre.contractReference')}</dt>
            <dd>{centre.contractReference ?? '—'}</dd>
            <dt>{t('registryAdmin.centre.contractSignedOn')}</dt>
            <dd>{centre.contractSignedOn ? formatDate(centre.contractSignedOn, language) : '—'}</dd>
            <dt>{t('registryAdmin.centre.headName')}</dt>
            <dd>{centre.headName ?? '—'}</dd>
          </dl>
        )}
      </section>

      <section aria-labelledby="ra-centre-members">
        <h2 id="ra-centre-members">{t('registryAdmin.centre.members')}</h2>
        {centre.members.length === 0 ? <p>{t('registryAdmin.centre.noMembers')}</p> : null}
        <ul className="ra-list" role="list">
          {centre.members.map((m) => (
            <li key={m.facilityId} className="ra-card">
              <h3 className="ra-card__title">
                <FacilityName id={m.facilityId} known={known} />
              </h3>
              {editing === m.facilityId ? (
                <MemberForm
                  reference={reference}
                  member={m}
                  facilities={[]}
                  onCancel={() => setEditing(undefined)}
                  onSave={async (input) => {
                    onCentre(await api.setCentreMember(centre.id, input));
                    setEditing(undefined);
                    setProblem(undefined);
                    setNotice(t('registryAdmin.centre.memberSaved', { facility: nameOf(m.facilityId) }));
                  }}
                />
              ) : (
                <>
                  <p className="ra-label">{t('registryAdmin.centre.rights')}</p>
                  <p className="ra-pre">{m.rightsObligations || '—'}</p>
                  <p className="ra-label">{t('registryAdmin.centre.structures')}</p>
                  {m.structures.length === 0 ? (
                    <p>—</p>
                  ) : (
                    <ul>
                      {m.structures.map((s) => (
                        <li key={`${s.structure}/${s.specialtyCode}`}>
                          {s.structure} – {specialtyName(reference, s.specialtyCode, language)}
                        </li>
                      ))}
                    </ul>
                  )}
                  {coordinator ? (
                    <div className="ra-actions">
                      <button type="button" className="button button--secondary" onClick={() => setEditing(m.facilityId)} aria-label={`${t('registryAdmin.common.edit')}: ${nameOf(m.facilityId)}`}>
                        {t('registryAdmin.common.edit')}
                      </button>
                      <button type="button" className="button button--secondary" onClick={() => void removeMember(m)} aria-label={`${t('registryAdmin.centre.removeMember')}: ${nameOf(m.facilityId)}`}>
                        {t('registryAdmin.centre.removeMember')}
                      </button>
                    </div>
                  ) : null}
                </>
              )}
            </li>
          ))}
        </ul>
        {coordinator ? (
          <>
            <h3>{t('registryAdmin.centre.addMember')}</h3>
            <MemberForm
              key={centre.members.length}
              reference={reference}
              facilities={facilities.state === 'ready' ? facilities.value.items.filter((f) => !centre.members.some((m) => m.facilityId === f.id)) : []}
              onSave={async (input) => {
                onCentre(await api.setCentreMember(centre.id, input));
                setProblem(undefined);
                setNotice(t('registryAdmin.centre.memberSaved', { facility: nameOf(input.facilityId) }));
              }}
            />
          </>
        ) : null}
      </section>
    </>
  );
}
