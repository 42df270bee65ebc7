import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { CentreInputSchema } from '../../../../../src/contracts/registry.js';
import type { CentreInput } from '../api.js';
import { AdminGate } from '../components/admin-gate.js';
import { CentreContractFields, centreContractBody, type CentreContractValues } from '../components/centre-contract-fields.js';
import { ResourceList } from '../components/resource-list.js';
import { useResource } from '../../../api/use-resource.js';
import { useApi } from '../../../api/api-context.js';
import { FormProblem, FormActions, useFormSubmit } from '../../../components/form.js';
import '../registry-admin.css';

/** `/admin/centres`: telemedicine centres (Art. 5); a coordinator creates them in draft. */
export function CentresPage() {
  const t = useT();
  useDocumentTitle(t('registryAdmin.centres.title'));
  return (
    <div className="page registry-admin">
      <p className="ra-back">
        <Link to="/admin">{t('registryAdmin.facility.back')}</Link>
      </p>
      <h1>{t('registryAdmin.centres.title')}</h1>
      <AdminGate>{(me) => <Centres coordinator={me.role === 'coordinator'} />}</AdminGate>
    </div>
  );
}

function Centres({ coordinator }: { coordinator: boolean }) {
  const t = useT();
  const centres = useResource('centres', (a) => a.registryAdmin.centres());
  return (
    <>
      <p className="lead">{t('registryAdmin.centres.lead')}</p>
      <section aria-labelledby="ra-centres">
        <h2 id="ra-centres">{t('registryAdmin.centres.list')}</h2>
        <ResourceList
          resource={centres}
          empty={t('registryAdmin.centres.none')}
          className="ra-list ra-list--grid"
          renderItem={(c) => (
            <li key={c.id} className="ra-card">
              <div className="ra-card__head">
                <h3 className="ra-card__title">
                  <Link to={`/admin/centres/${c.id}`}>{c.name}</Link>
                </h3>
                <span className={`ra-badge ra-badge--${c.status}`}>{t(`registryAdmin.centre.status.${c.status}`)}</span>
              </div>
              <p className="ra-muted">{t('registryAdmin.centres.members', { count: c.members.length })}</p>
              <p className={c.missing.length > 0 ? 'ra-missing-count' : 'ra-muted'}>
                {c.missing.length > 0 ? t('registryAdmin.centres.missingCount', { count: c.missing.length }) : t('registryAdmin.centres.complete')}
              </p>
            </li>
          )}
        />
      </section>
      {coordinator ? <NewCentre /> : null}
    </>
  );
}

function NewCentre() {
  const t = useT();
  const api = useApi().registryAdmin;
  const navigate = useNavigate();
  const [values, setValues] = useState<CentreContractValues>({ name: '', contractReference: '', contractSignedOn: '', headName: '' });
  const { problem, send } = useFormSubmit();

  async function create(event: FormEvent) {
    event.preventDefault();
    const body: CentreInput = centreContractBody(values);
    await send(CentreInputSchema, body, async () => {
      const centre = await api.createCentre(body);
      await navigate(`/admin/centres/${centre.id}`);
    });
  }

  return (
    <section aria-labelledby="ra-centre-new">
      <h2 id="ra-centre-new">{t('registryAdmin.centres.new')}</h2>
      <p className="ra-muted">{t('registryAdmin.centres.newIntro')}</p>
      <form className="ra-form" onSubmit={(e) => void create(e)}>
        <CentreContractFields values={values} set={(key, value) => setValues((v) => ({ ...v, [key]: value }))} problem={problem} />
        <FormProblem problem={problem} />
        <FormActions submit={t('registryAdmin.centres.create')} />
      </form>
    </section>
  );
}
