import { useState } from 'react';
import { Link } from 'react-router';
import { useDocumentTitle, useLanguage, useT } from '../../../i18n/index.js';
import { AdminGate } from '../components/admin-gate.js';
import { FacilityForm } from '../components/facility-form.js';
import { ResourceList } from '../components/resource-list.js';
import { useResource } from '../../../api/use-resource.js';
import { useApi } from '../../../api/api-context.js';
import { useReferenceData } from '../use-reference-data.js';
import { facilityTypeName, regionName } from '../format.js';
import '../registry-admin.css';

/** `/admin`: the facilities the user administers; a coordinator also registers facilities (Art. 4, 24). */
export function AdminHomePage() {
  const t = useT();
  useDocumentTitle(t('registryAdmin.home.title'));
  return (
    <div className="page registry-admin">
      <h1>{t('registryAdmin.home.title')}</h1>
      <AdminGate>{(me) => <AdminHome coordinator={me.role === 'coordinator'} />}</AdminGate>
    </div>
  );
}

function AdminHome({ coordinator }: { coordinator: boolean }) {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi().registryAdmin;
  const reference = useReferenceData();
  const facilities = useResource('facilities', (a) => a.registryAdmin.facilities());
  const [registered, setRegistered] = useState<{ id: string; name: string }>();

  return (
    <>
      <p className="lead">{t(coordinator ? 'registryAdmin.home.leadCoordinator' : 'registryAdmin.home.lead')}</p>
      <p>
        <Link to="/admin/centres">{t('registryAdmin.home.centresLink')}</Link>
      </p>
      <section aria-labelledby="ra-facilities">
        <h2 id="ra-facilities">{t(coordinator ? 'registryAdmin.home.allFacilities' : 'registryAdmin.home.facilities')}</h2>
        <ResourceList
          resource={facilities}
          empty={t('registryAdmin.home.noFacilities')}
          className="ra-list ra-list--grid"
          renderItem={(f) => (
            <li key={f.id} className="ra-card">
              <div className="ra-card__head">
                <h3 className="ra-card__title">
                  <Link to={`/admin/facilities/${f.id}`}>{f.name}</Link>
                </h3>
                <span className={`ra-badge ra-badge--${f.status}`}>{t(`registryAdmin.facility.status.${f.status}`)}</span>
              </div>
              <p className="ra-muted">
                {facilityTypeName(reference, f.typeCode, language)} · {f.settlement} · {regionName(reference, f.rhifCode, language)}
              </p>
              <p className="ra-muted">{t('registryAdmin.facility.numberValue', { number: f.number })}</p>
            </li>
          )}
        />
      </section>
      {coordinator ? (
        <section aria-labelledby="ra-register">
          <h2 id="ra-register">{t('registryAdmin.home.register.title')}</h2>
          <p className="ra-muted">{t('registryAdmin.home.register.intro')}</p>
          <p className="ra-notice" role="status">
            {registered ? (
              <>
                {t('registryAdmin.home.register.done', { name: registered.name })} <Link to={`/admin/facilities/${registered.id}`}>{t('registryAdmin.home.register.open')}</Link>
              </>
            ) : null}
          </p>
          <FacilityForm
            reference={reference}
            onRegister={async (input) => {
              const f = await api.registerFacility(input);
              setRegistered({ id: f.id, name: f.name });
              facilities.reload();
            }}
          />
        </section>
      ) : null}
    </>
  );
}
