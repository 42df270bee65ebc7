import { useT } from '../../../i18n/index.js';
import { useResource } from '../../../api/use-resource.js';

/**
 * A facility's name: from the facilities the user administers when it is one of them, else from the
 * public directory (another party of a contract); the id when neither knows it.
 * @param props.known - names of the administered facilities; undefined while they are still loading
 */
export function FacilityName({ id, known }: { id: string; known: ReadonlyMap<string, string> | undefined }) {
  const t = useT();
  const name = known?.get(id);
  const page = useResource(known !== undefined && name === undefined ? `public-facility/${id}` : null, (api) => api.registryAdmin.publicFacility(id));
  if (name !== undefined) return <>{name}</>;
  if (known === undefined) return <>{t('registryAdmin.common.loading')}</>;
  return <>{page.state === 'ready' ? page.value.name : page.state === 'loading' ? t('registryAdmin.common.loading') : id}</>;
}
