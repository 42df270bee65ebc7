import type { ReactNode } from 'react';
import { useT } from '../../../i18n/index.js';
import type { Resource } from '../../../api/use-resource.js';
import { FormProblem } from '../../../components/form.js';

/**
 * A section's loaded list: "loading" while it loads (announced, unless `quietWhileLoading`), the problem
 * if loading failed, `empty` when there are no items, and otherwise the items, each `renderItem` giving
 * its own keyed `<li>`.
 */
export function ResourceList<V extends { items: readonly unknown[] }>({
  resource,
  empty,
  className = 'ra-list',
  quietWhileLoading = false,
  renderItem,
}: {
  resource: Resource<V>;
  empty: string;
  className?: string;
  quietWhileLoading?: boolean;
  renderItem: (item: V['items'][number]) => ReactNode;
}) {
  const t = useT();
  if (resource.state === 'loading') return quietWhileLoading ? null : <p role="status">{t('registryAdmin.common.loading')}</p>;
  if (resource.state === 'problem') return <FormProblem problem={resource.problem} />;
  if (resource.value.items.length === 0) return <p>{empty}</p>;
  return (
    <ul className={className} role="list">
      {resource.value.items.map((item) => renderItem(item))}
    </ul>
  );
}
