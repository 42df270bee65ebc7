import { Temporal } from 'temporal-polyfill';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { NotFoundError } from '../../platform/errors/app-error.js';
import type { CreatePriceListBody, PriceList, PriceListVersion } from '../../contracts/practice.js';
import { priceListOn, priceOf, ruleOn, showPrice, type DatedRule, type ShownPrice } from './fee-rules.js';
import { assertPracticeStaff, ruleRefusal, type PracticeDeps } from './practice.deps.js';
import * as repo from './practice.repo.js';

export const localDay = (instant: Temporal.Instant, zone: string): string => instant.toZonedDateTimeISO(zone).toPlainDate().toString();

const ADMINS = new Set(['specialist', 'facility_admin']);
/** Bulgaria adopted the euro on this day (DECISIONS.md item 17): lists before it are in BGN. */
const EURO_DAY = '2026-01-01';

/** A stored version in its wire form, with each price also in EUR (DECISIONS 17). */
function toWire(v: repo.StoredVersion, next: repo.StoredVersion | undefined, rate: string): PriceListVersion {
  return {
    id: v.id,
    facilityId: v.facilityId,
    effectiveFrom: v.effectiveFrom,
    effectiveTo: next ? Temporal.PlainDate.from(next.effectiveFrom).subtract({ days: 1 }).toString() : null,
    currency: v.currency,
    createdAt: v.createdAt,
    items: v.items.map((i) => ({ ...i, price: showPrice({ amount: i.amount, currency: v.currency }, rate) })),
  };
}

/**
 * The price of an item at a practice on a day (E24, R-PC-13), for other modules: the booking flow tells a
 * patient with interrupted rights the price before the visit. Runs in the caller's transaction; no
 * patient data is read.
 * @param q - the caller's transaction
 * @param facilityId - the practice
 * @param on - `YYYY-MM-DD`, the visit's local day
 * @param itemCode - the price-list item, `exam.primary` by default (EXAM_ITEM)
 * @returns the price as charged and in EUR, with the version, or null when the list has none
 */
export async function practicePriceOn(q: Queryable, facilityId: string, on: string, itemCode = 'exam.primary'): Promise<(ShownPrice & { priceListId: string; itemCode: string; name: string }) | null> {
  const versions = await repo.listPriceLists(q, facilityId);
  const hit = priceOf(versions, on, itemCode);
  if (!hit) return null;
  const rate = ruleOn(await repo.loadRules(q), 'money.bgn_per_eur', on).rate;
  return { ...showPrice({ amount: hit.item.amount, currency: hit.version.currency }, rate), priceListId: hit.version.id, itemCode, name: hit.item.name };
}

/**
 * `GET /practices/:id/price-list` and `POST` (a new version): public reading (the practice displays its
 * prices and the user-fee exemptions, R-121), writing by the practice's GP or administrator.
 * @returns the use cases
 */
export function priceListUseCases(deps: PracticeDeps) {
  async function read(q: Queryable, facilityId: string, rules: readonly DatedRule[]): Promise<PriceList> {
    const today = localDay(deps.clock.now(), deps.zone);
    const rate = ruleOn(rules, 'money.bgn_per_eur', today).rate;
    const versions = await repo.listPriceLists(q, facilityId);
    const wire = versions.map((v, i) => toWire(v, versions[i - 1], rate));
    const current = priceListOn(versions, today);
    const fee = ruleOn(rules, 'fee.user_fee', today);
    return {
      facilityId,
      today,
      current: wire.find((v) => v.id === current?.id) ?? null,
      versions: wire,
      userFee: showPrice(fee, rate),
      exemptions: ruleOn(rules, 'fee.user_fee_exemptions', today).map(({ code, bg, en }) => ({ code, bg, en })),
    };
  }

  return {
    async readPriceList(_ctx: RequestCtx, facilityId: string): Promise<PriceList> {
      return withTransaction(deps.db, async (tx) => {
        if (!(await repo.findFacility(tx, facilityId))) throw new NotFoundError('facility', facilityId);
        return read(tx, facilityId, await repo.loadRules(tx));
      });
    },

    /**
     * DECISIONS 17: a version starts today or later, so a visit's price never changes after the fact; a
     * version from 1 January 2026 on is in EUR, an earlier one in BGN.
     */
    async createPriceList(ctx: RequestCtx, facilityId: string, body: CreatePriceListBody): Promise<PriceList> {
      const actor = await assertPracticeStaff(deps, ctx, facilityId, ADMINS);
      const today = localDay(deps.clock.now(), deps.zone);
      if (body.effectiveFrom < today) throw ruleRefusal('practice.price_list_past', 'DECISIONS-17', 'A price list starts today or later; past visits keep their prices');
      const codes = new Set(body.items.map((i) => i.code));
      if (codes.size !== body.items.length) throw ruleRefusal('request.invalid', 'DECISIONS-17', 'Each item code appears once');
      return withTransaction(deps.db, async (tx) => {
        await repo.lockFacility(tx, facilityId);
        const existing = await repo.listPriceLists(tx, facilityId);
        if (existing.some((v) => v.effectiveFrom === body.effectiveFrom)) throw ruleRefusal('resource.conflict', 'DECISIONS-17', 'A version already starts that day');
        const id = deps.ids.uuid();
        await repo.insertPriceList(tx, { id, facilityId, effectiveFrom: body.effectiveFrom, currency: body.effectiveFrom < EURO_DAY ? 'BGN' : 'EUR', createdBy: actor.id, createdAt: deps.clock.now().toString(), items: body.items });
        await deps.audit.record(tx, ctx, { action: 'practice.price_list_created', facilityId, subject: { type: 'practice_price_list', id }, data: { effectiveFrom: body.effectiveFrom, items: body.items.length } });
        return read(tx, facilityId, await repo.loadRules(tx));
      });
    },
  };
}
