import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { problemFromError, type Problem } from '../../api/problem.js';

type Option = { id: string; name: string };

/**
 * The facilities to choose from: a staff member's own (names from the public directory, the id when the
 * facility is not listed there), or for the supervisor a name search over the directory.
 */
export function useFacilityOptions(source: readonly string[] | 'search') {
  const api = useApi();
  const [items, setItems] = useState<Option[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState('');
  const key = source === 'search' ? `search:${searched}` : source.join(',');

  useEffect(() => {
    let live = true;
    setProblem(undefined);
    const load = async (): Promise<Option[]> => {
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
    };
    load().then(
      (found) => {
        if (!live) return;
        setItems(found);
        setLoaded(true);
      },
      (e: unknown) => {
        if (!live) return;
        setProblem(problemFromError(e));
        setLoaded(true);
      },
    );
    return () => {
      live = false;
    };
    // Tricky: `key` stands for `source` and `searched`; the array itself is new on every render.
  }, [api, key]);

  return { items, loaded, problem, query, setQuery, search: () => setSearched(query) };
}
