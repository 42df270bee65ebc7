import { useState } from 'react';
import { useLanguage, useT } from '../../../i18n/index.js';
import type { Facility, ReferenceData, Service } from '../api.js';
import { useResource } from '../../../api/use-resource.js';
import { useApi } from '../../../api/api-context.js';
import { FormProblem, Notice } from '../../../components/form.js';
import { formatEur, serviceKindName, specialtyName } from '../format.js';
import { locales } from '../../../i18n/index.js';
import { useAction } from '../../../components/use-action.js';
import { ResourceList } from './resource-list.js';
import { ServiceForm } from './service-form.js';

/** A facility's services in any status: create drafts, edit, publish and withdraw (Art. 7, 15). */
export function ServicesSection({ facility, reference }: { facility: Facility; reference: ReferenceData | null }) {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi().registryAdmin;
  const services = useResource(`services/${facility.id}`, (a) => a.registryAdmin.services(facility.id));
  const [editing, setEditing] = useState<string>();
  const { problem, notice, setNotice, run } = useAction();
  const [formKey, setFormKey] = useState(0);

  async function act(service: Service, action: 'publish' | 'withdraw') {
    await run(async () => {
      const after = action === 'publish' ? await api.publishService(facility.id, service.id, service.version) : await api.withdrawService(facility.id, service.id, service.version);
      return t(action === 'publish' ? 'registryAdmin.svc.publishedNotice' : 'registryAdmin.svc.withdrawnNotice', { name: after.name });
    });
    services.reload();
  }

  const price = (s: Service) => (s.nhifPaid ? t('registryAdmin.svc.pay.nhif') : s.priceEurCents === null ? '—' : formatEur(s.priceEurCents, locales[language]));

  return (
    <section aria-labelledby="ra-services">
      <h2 id="ra-services">{t('registryAdmin.tab.services')}</h2>
      <p className="ra-muted">{t('registryAdmin.svc.intro')}</p>
      <Notice text={notice} />
      <FormProblem problem={problem} />
      <ResourceList
        resource={services}
        empty={t('registryAdmin.svc.none')}
        renderItem={(s) => (
          <li key={s.id} className="ra-card" data-service-id={s.id}>
            <div className="ra-card__head">
              <h3 className="ra-card__title">{s.name}</h3>
              <span className={`ra-badge ra-badge--${s.status}`}>{t(`registryAdmin.svc.status.${s.status}`)}</span>
            </div>
            <p className="ra-muted">
              {specialtyName(reference, s.specialtyCode, language)} · {serviceKindName(reference, s.kindCode, language)} · {t(`registryAdmin.svc.mode.${s.mode}`)}
            </p>
            <p>
              {t('registryAdmin.svc.minutesValue', { minutes: s.typicalMinutes })} · {price(s)}
            </p>
            {editing === s.id ? (
              <ServiceForm
                reference={reference}
                service={s}
                onCancel={() => setEditing(undefined)}
                onUpdate={async (input) => {
                  const after = await api.updateService(facility.id, s.id, input);
                  setEditing(undefined);
                  setNotice(t('registryAdmin.svc.updatedNotice', { name: after.name }));
                  services.reload();
                }}
              />
            ) : (
              <div className="ra-actions">
                {s.status !== 'published' ? (
                  <button type="button" className="button" onClick={() => void act(s, 'publish')} aria-label={`${t('registryAdmin.svc.publish')}: ${s.name}`}>
                    {t('registryAdmin.svc.publish')}
                  </button>
                ) : null}
                {s.status !== 'withdrawn' ? (
                  <button type="button" className="button button--secondary" onClick={() => void act(s, 'withdraw')} aria-label={`${t('registryAdmin.svc.withdraw')}: ${s.name}`}>
                    {t('registryAdmin.svc.withdraw')}
                  </button>
                ) : null}
                <button type="button" className="button button--secondary" onClick={() => setEditing(s.id)} aria-label={`${t('registryAdmin.common.edit')}: ${s.name}`}>
                  {t('registryAdmin.common.edit')}
                </button>
              </div>
            )}
          </li>
        )}
      />

      <h3 id="ra-service-new">{t('registryAdmin.svc.new')}</h3>
      <ServiceForm
        key={formKey}
        reference={reference}
        onCreate={async (input) => {
          const created = await api.createService(facility.id, input);
          setNotice(t('registryAdmin.svc.createdNotice', { name: created.name }));
          setFormKey((k) => k + 1);
          services.reload();
        }}
      />
    </section>
  );
}
