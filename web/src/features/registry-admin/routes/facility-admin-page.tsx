import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import type { Facility, ReferenceData } from '../api.js';
import { AdminGate } from '../components/admin-gate.js';
import { CertificatesSection } from '../components/certificates-section.js';
import { EmergencySection } from '../components/emergency-section.js';
import { FacilityForm } from '../components/facility-form.js';
import { SchedulesSection } from '../components/schedules-section.js';
import { ServicesSection } from '../components/services-section.js';
import { SpecialistsSection } from '../components/specialists-section.js';
import { StatusSection } from '../components/status-section.js';
import { SystemsSection } from '../components/systems-section.js';
import { useResource } from '../../../api/use-resource.js';
import { useApi } from '../../../api/api-context.js';
import { useReferenceData } from '../use-reference-data.js';
import { FormProblem, Notice } from '../../../components/form.js';
import '../registry-admin.css';

const SECTIONS = ['data', 'status', 'certificates', 'specialists', 'services', 'schedules', 'emergency', 'systems'] as const;
type Section = (typeof SECTIONS)[number];
const isSection = (s: string | undefined): s is Section => (SECTIONS as readonly string[]).includes(s ?? '');

/** `/admin/facilities/:id/:section?`: one facility's administration, a section at a time. */
export function FacilityAdminPage() {
  const t = useT();
  const { id = '', section } = useParams();
  const facility = useResource(`facility/${id}`, (api) => api.registryAdmin.facility(id));
  const reference = useReferenceData();
  const current: Section = isSection(section) ? section : 'data';
  useDocumentTitle(facility.state === 'ready' ? `${t(`registryAdmin.tab.${current}`)} – ${facility.value.name}` : t('registryAdmin.facility.title'));

  return (
    <div className="page registry-admin">
      <p className="ra-back">
        <Link to="/admin">{t('registryAdmin.facility.back')}</Link>
      </p>
      <AdminGate>
        {() => (
          <>
            {facility.state === 'loading' ? <p role="status">{t('registryAdmin.common.loading')}</p> : null}
            {facility.state === 'problem' ? (
              <>
                <h1>{t('registryAdmin.facility.title')}</h1>
                <FormProblem problem={facility.problem} />
              </>
            ) : null}
            {facility.state === 'ready' ? (
              <>
                <h1>
                  {facility.value.name} <span className={`ra-badge ra-badge--${facility.value.status}`}>{t(`registryAdmin.facility.status.${facility.value.status}`)}</span>
                </h1>
                <nav className="ra-tabs" aria-label={t('registryAdmin.facility.sections')}>
                  <ul role="list">
                    {SECTIONS.map((s) => (
                      <li key={s}>
                        <Link to={`/admin/facilities/${id}/${s}`} aria-current={s === current ? 'page' : undefined}>
                          {t(`registryAdmin.tab.${s}`)}
                        </Link>
                      </li>
                    ))}
                  </ul>
                </nav>
                <SectionBody section={current} facility={facility.value} reference={reference} onFacility={facility.set} />
              </>
            ) : null}
          </>
        )}
      </AdminGate>
    </div>
  );
}

function SectionBody({ section, facility, reference, onFacility }: { section: Section; facility: Facility; reference: ReferenceData | null; onFacility: (f: Facility) => void }) {
  switch (section) {
    case 'data':
      return <DataSection facility={facility} reference={reference} onFacility={onFacility} />;
    case 'status':
      return <StatusSection facility={facility} onChanged={onFacility} />;
    case 'certificates':
      return <CertificatesSection facility={facility} />;
    case 'specialists':
      return <SpecialistsSection facility={facility} reference={reference} />;
    case 'services':
      return <ServicesSection facility={facility} reference={reference} />;
    case 'schedules':
      return <SchedulesSection facility={facility} />;
    case 'emergency':
      return <EmergencySection facility={facility} reference={reference} />;
    case 'systems':
      return <SystemsSection facility={facility} />;
  }
}

function DataSection({ facility, reference, onFacility }: { facility: Facility; reference: ReferenceData | null; onFacility: (f: Facility) => void }) {
  const t = useT();
  const api = useApi().registryAdmin;
  const formatDateTime = useFormatDateTime();
  const [notice, setNotice] = useState<string>();
  return (
    <section aria-labelledby="ra-data">
      <h2 id="ra-data">{t('registryAdmin.tab.data')}</h2>
      <p className="ra-muted">
        {t('registryAdmin.data.meta', { number: facility.number, version: facility.version, at: formatDateTime(new Date(facility.updatedAt)) })}
      </p>
      <Notice text={notice} />
      {reference ? (
        <FacilityForm
          reference={reference}
          facility={facility}
          onUpdate={async (input) => {
            setNotice(undefined);
            const after = await api.updateFacility(facility.id, input);
            onFacility(after);
            setNotice(t('registryAdmin.data.saved'));
          }}
        />
      ) : (
        <p role="status">{t('registryAdmin.common.loading')}</p>
      )}
    </section>
  );
}
