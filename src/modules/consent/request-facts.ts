import type { Queryable } from '../../platform/db/index.js';
import { snakeRow } from '../../platform/db/rows.js';
import { readRequestFactsIn } from '../requests/index.js';
import * as repo from './consent.repo.js';

/**
 * The request with what Art. 7 needs (specialty, service kind), from the requests module's port; the
 * row is share-locked so it stays stable in the transaction.
 * @returns the facts, or undefined for an unknown id
 */
export async function findRequestFacts(q: Queryable, requestId: string): Promise<repo.RequestFacts | undefined> {
  const r = await readRequestFactsIn(q, requestId, 'share');
  if (!r) return undefined;
  const art7 = await repo.findArt7Facts(q, r.specialtyCode, r.serviceId);
  if (!art7) return undefined;
  return { ...snakeRow(r), ...art7 };
}
