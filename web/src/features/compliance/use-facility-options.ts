import { useState } from 'react';
import { problemOf, useResource, valueOf } from '../../api/use-resource.js';

type Option = { id: string; name: string };

/**
 * The facilities to choose from: a staff member's own (names from the public directory, the id when the
 * facility is not listed there), or for the supervisor a name search over the directory.
 */
export function useFacilityOptions(source: readonly string[] | 'search') {
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState('');
  // A new search reloads under the same key, so the last list stays on screen until the answer comes.
  const options = useResource<Option[]>(source === 'search' ? 'compliance/facility-search' : `compliance/facilities:${source.join(',')}`, async (api) => {
    if (source === 'search') {
      const q = searched.trim();
      const found = await api.directory.search({ ...(q.length >= 2 ? { q } : {}), limit: 50 });
      return found.items.map((f) => ({ id: f.id, name: f.name }));
    }
    return Promise.all(
      source.map(async (id) => {
        try {
          return { id, name: (await api.directory.facility(id)).name };
        } catch {
          return { id, name: id };
        }
      }),
    );
  });
  const { reload } = options;
  return {
    items: valueOf(options) ?? [],
    loaded: options.state !== 'loading',
    problem: problemOf(options),
    query,
    setQuery,
    search: () => {
      setSearched(query);
      reload();
    },
  };
}
