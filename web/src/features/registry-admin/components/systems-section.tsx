import { useState, type FormEvent } from 'react';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useFormatDateTime, useT } from '../../../i18n/index.js';
import { RegisterApiClientBodySchema, SYSTEM_SCOPES, type ApiClient, type ApiClientCreated, type SystemScope } from '../../../../../src/contracts/api-clients.js';
import type { Facility } from '../api.js';
import { useResource } from '../../../api/use-resource.js';
import { useApi } from '../../../api/api-context.js';
import { Field, FormActions, FormProblem, Notice, useFormSubmit } from '../../../components/form.js';
import { Callout, ConfirmDialog } from '../../../components/ui.js';
import { ResourceList } from './resource-list.js';

/**
 * The facility's registered systems (a hospital information system, a registry) that read its patients
 * through /fhir/R4 with OAuth 2.0 client credentials (docs/fhir.md#machine-clients): register one (the
 * secret is shown once and never again), see the scope, revoke.
 */
export function SystemsSection({ facility }: { facility: Facility }) {
  const t = useT();
  const when = useFormatDateTime();
  const api = useApi().registryAdmin;
  const clients = useResource(`api-clients/${facility.id}`, (a) => a.registryAdmin.apiClients(facility.id));
  const [name, setName] = useState('');
  const [scope, setScope] = useState<SystemScope>('system/*.read');
  const [created, setCreated] = useState<ApiClientCreated>();
  const [revoking, setRevoking] = useState<ApiClient>();
  const [listProblem, setListProblem] = useState<Problem>();
  const [notice, setNotice] = useState<string>();
  const { problem, send } = useFormSubmit();

  async function register(event: FormEvent) {
    event.preventDefault();
    const body = { name, scopes: [scope] };
    setNotice(undefined);
    await send(RegisterApiClientBodySchema, body, async () => {
      setCreated(await api.registerApiClient(facility.id, body));
      setName('');
      clients.reload();
    });
  }

  async function revoke(c: ApiClient) {
    setRevoking(undefined);
    setListProblem(undefined);
    try {
      await api.revokeApiClient(c.id);
      setNotice(t('registryAdmin.systems.revoked', { name: c.name }));
    } catch (error) {
      setListProblem(problemFromError(error));
    }
    clients.reload();
  }

  return (
    <section aria-labelledby="ra-systems">
      <h2 id="ra-systems">{t('registryAdmin.tab.systems')}</h2>
      <p className="ra-muted">{t('registryAdmin.systems.intro')}</p>
      <Notice text={notice} />
      {created ? (
        <Callout tone="warn" title={t('registryAdmin.systems.createdTitle', { name: created.name })}>
          <p>{t('registryAdmin.systems.secretOnce')}</p>
          <dl className="ra-secret">
            <dt>client_id</dt>
            <dd>
              <code>{created.id}</code>
            </dd>
            <dt>client_secret</dt>
            <dd>
              <code data-testid="client-secret">{created.clientSecret}</code>
            </dd>
          </dl>
          <button type="button" className="button button--secondary" onClick={() => setCreated(undefined)}>
            {t('registryAdmin.systems.secretSaved')}
          </button>
        </Callout>
      ) : null}
      <FormProblem problem={listProblem} />
      <ResourceList
        resource={clients}
        empty={t('registryAdmin.systems.none')}
        renderItem={(c) => (
          <li key={c.id} className="ra-card">
            <div className="ra-card__head">
              <h3 className="ra-card__title">{c.name}</h3>
              <span className={`ra-badge ra-badge--${c.revokedAt ? 'withdrawn' : 'active'}`}>{t(c.revokedAt ? 'registryAdmin.systems.state.revoked' : 'registryAdmin.systems.state.active')}</span>
            </div>
            <p className="ra-muted">
              {t(`registryAdmin.systems.scope.${c.scope === 'system/Patient.read' ? 'patient' : 'all'}`)} · {t('registryAdmin.systems.since', { when: when(new Date(c.createdAt)) })}
              {c.revokedAt ? ` · ${t('registryAdmin.systems.revokedAt', { when: when(new Date(c.revokedAt)) })}` : ''}
            </p>
            {c.revokedAt ? null : (
              <div className="ra-actions">
                <button type="button" className="button button--secondary" onClick={() => setRevoking(c)} aria-label={`${t('registryAdmin.systems.revoke')}: ${c.name}`}>
                  {t('registryAdmin.systems.revoke')}
                </button>
              </div>
            )}
          </li>
        )}
      />
      <ConfirmDialog open={revoking !== undefined} danger title={t('registryAdmin.systems.revokeTitle', { name: revoking?.name ?? '' })} confirm={t('registryAdmin.systems.revoke')} onConfirm={() => revoking && void revoke(revoking)} onCancel={() => setRevoking(undefined)}>
        <p>{t('registryAdmin.systems.revokeText')}</p>
      </ConfirmDialog>

      <h3>{t('registryAdmin.systems.new')}</h3>
      <form className="ra-form" onSubmit={(e) => void register(e)}>
        <Field label={t('registryAdmin.systems.name')} pointer="#/name" problem={problem}>
          {(c) => <input {...c} required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={t('registryAdmin.systems.scopeLabel')} pointer="#/scopes" problem={problem}>
          {(c) => (
            <select {...c} value={scope} onChange={(e) => setScope(e.target.value as SystemScope)}>
              {SYSTEM_SCOPES.map((s) => (
                <option key={s} value={s}>
                  {t(`registryAdmin.systems.scope.${s === 'system/Patient.read' ? 'patient' : 'all'}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <FormActions submit={t('registryAdmin.systems.register')} />
      </form>
    </section>
  );
}
