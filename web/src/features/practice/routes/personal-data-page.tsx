import '../personal-data.css';
import { PageHeader } from '../../../components/ui.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';
import { ProcessingRegister } from '../components/processing-register.js';
import { SubjectRequests } from '../components/subject-requests.js';

/** Personal data at the practice (W25, R-DATA-*): for its administrator (the data protection contact) and GP. */
export function PersonalDataPage() {
  const t = useT();
  useDocumentTitle(t('pdata.title'));
  const { me } = useAuth();
  const facilityId = me?.facilityIds[0] ?? null;
  return (
    <div className="page stack">
      <PageHeader title={t('pdata.title')} lead={t('pdata.lead')} />
      {facilityId ? (
        <>
          <SubjectRequests facilityId={facilityId} />
          <ProcessingRegister facilityId={facilityId} />
        </>
      ) : (
        <p>{t('practice.noPractice')}</p>
      )}
    </div>
  );
}
