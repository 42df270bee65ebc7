import { withTransaction, type Tx } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import { createPdf, PDF_FONTS } from '../../platform/pdf.js';
import { fromDate } from '../../platform/clock.js';
import type { CreatePaymentBody, Payment } from '../../contracts/practice.js';
import { labFeeDecision, priceOf, ruleOn, showPrice } from './fee-rules.js';
import { inEur, sumAmounts, toCents, type Currency } from './money.js';
import { assertPracticeStaff, ruleRefusal, type PracticeDeps } from './practice.deps.js';
import { localDay } from './price-list.js';
import * as repo from './practice.repo.js';

/** A payment row in its wire form: the amount as paid, and EUR for older BGN (DECISIONS 17). */
function toPayment(p: repo.PaymentRow, rate: string): Payment {
  return {
    id: p.id,
    facilityId: p.facility_id,
    facilityName: p.facility_name,
    encounterId: p.encounter_id,
    patientId: p.patient_id,
    purpose: p.purpose,
    itemCode: p.item_code,
    lab: p.lab,
    price: showPrice({ amount: p.amount, currency: p.currency }, rate),
    method: p.method,
    providerReference: p.provider_reference,
    receiptNumber: Number(p.receipt_number),
    paidAt: new Date(p.paid_at).toISOString(),
  };
}

/**
 * Records a payment for a visit inside the caller's transaction (the desk's payment, or the visit's own
 * when the visit and its fee are recorded together): the rules of `paymentUseCases` apply.
 * @returns the use case taking the transaction
 */
export function recordPaymentInUseCase(deps: PracticeDeps) {
  return async function recordPaymentIn(tx: Tx, ctx: RequestCtx, recordedBy: string, encounterId: string, body: CreatePaymentBody): Promise<Payment> {
    const paidAt = deps.clock.now();
    const paidOn = localDay(paidAt, deps.zone);
    const visit = await repo.findVisit(tx, encounterId);
    if (!visit) throw new NotFoundError('visit', encounterId);
    await repo.lockFacility(tx, visit.facility_id);
    const rules = await repo.loadRules(tx);
    const fresh = (await repo.findVisit(tx, encounterId)) as repo.VisitRow;
    let currency: Currency = ruleOn(rules, 'fee.user_fee', paidOn).currency;
    const already = (purpose: string) => fresh.paid.length > 0 && purpose !== 'lab_fee' && purpose !== 'document';
    if (body.purpose === 'user_fee') {
      if (fresh.fee_basis !== 'user_fee' || !fresh.fee_amount || !fresh.fee_currency) throw ruleRefusal('practice.amount_not_due', fresh.fee_rule, 'No user fee is due for this visit');
      if (already('user_fee')) throw ruleRefusal('practice.amount_not_due', 'R-PC-12', 'The user fee of this visit is paid');
      if (toCents(body.amount) !== toCents(fresh.fee_amount)) throw ruleRefusal('practice.amount_not_due', 'R-73', `The user fee is ${fresh.fee_amount} ${fresh.fee_currency}`);
      currency = fresh.fee_currency;
    } else if (body.purpose === 'price_list') {
      const code = body.itemCode ?? fresh.price_item_code;
      const hit = code ? priceOf(await repo.listPriceLists(tx, fresh.facility_id), fresh.visit_on, code) : null;
      if (!code || !hit) throw ruleRefusal('practice.no_price', 'R-PC-13');
      // R-73: an NHIF-paid visit is not charged at the price list for what the NHIF pays (the exam itself).
      if (fresh.nhif_paid && code === 'exam.primary') throw ruleRefusal('practice.amount_not_due', 'R-73', 'The NHIF pays this exam');
      if (toCents(body.amount) !== toCents(hit.item.amount)) throw ruleRefusal('practice.amount_not_due', 'R-PC-13', `The price is ${hit.item.amount} ${hit.version.currency}`);
      currency = hit.version.currency;
    } else if (body.purpose === 'lab_fee') {
      if (!body.lab) throw new AppError('request.invalid', { detail: 'Name the laboratory', errors: [{ in: 'body', pointer: '#/lab', detail: 'required for a lab fee' }] });
      const d = labFeeDecision(await repo.labFeesOn(tx, fresh.patient_id, paidOn), body.lab, paidOn, { amount: body.amount, currency }, rules);
      if (!d.charge) throw d.why === 'already_charged_today' ? ruleRefusal('practice.lab_fee_once', 'R-PC-14') : ruleRefusal('practice.lab_fee_over_max', 'R-74');
    }
    const confirmed = await deps.payments.confirm({ method: body.method, amount: body.amount, currency, reference: body.providerReference });
    if (confirmed.status === 'refused') throw new AppError('request.invalid', { detail: confirmed.why, errors: [{ in: 'body', pointer: '#/providerReference', detail: confirmed.why }] });
    const id = deps.ids.uuid();
    const receiptNumber = await repo.nextReceiptNumber(tx, fresh.facility_id);
    await repo.insertPayment(tx, {
      id,
      facilityId: fresh.facility_id,
      encounterId,
      patientId: fresh.patient_id,
      purpose: body.purpose,
      itemCode: body.purpose === 'price_list' ? (body.itemCode ?? fresh.price_item_code) : (body.itemCode ?? null),
      lab: body.purpose === 'lab_fee' ? (body.lab ?? null) : null,
      amount: body.amount,
      currency,
      method: body.method,
      reference: confirmed.reference,
      receiptNumber,
      paidAt: paidAt.toString(),
      paidOn,
      recordedBy,
      createdAt: paidAt.toString(),
    });
    await deps.audit.record(tx, ctx, { action: 'practice.payment_recorded', patientId: fresh.patient_id, facilityId: fresh.facility_id, subject: { type: 'practice_payment', id }, data: { purpose: body.purpose, method: body.method, receiptNumber } });
    return toPayment((await repo.findPayment(tx, id)) as repo.PaymentRow, ruleOn(rules, 'money.bgn_per_eur', paidOn).rate);
  };
}

/**
 * `POST /encounters/:id/payments`, `GET /patients/:id/payments` and the receipt PDF: the front desk records
 * what the patient paid for a visit (recorded, not processed: `PaymentProvider`) and the practice's
 * receipt; the patient reads their fees and receipts.
 * - R-PC-12 / R-73: the user fee is the amount assessed for the visit, once; nothing more on an NHIF visit.
 * - R-PC-13 / R-PC-16: a price-list item at the price in force on the visit's day.
 * - R-PC-14 / R-74: the lab fee once per lab per day, at most the maximum in force.
 * @returns the use cases
 */
export function paymentUseCases(deps: PracticeDeps) {
  const recordPaymentIn = recordPaymentInUseCase(deps);
  return {
    async recordPayment(ctx: RequestCtx, encounterId: string, body: CreatePaymentBody): Promise<Payment> {
      const visit = await repo.findVisit(deps.db, encounterId);
      if (!visit) throw new NotFoundError('visit', encounterId);
      const actor = await assertPracticeStaff(deps, ctx, visit.facility_id);
      return withTransaction(deps.db, (tx) => recordPaymentIn(tx, ctx, actor.id, encounterId, body));
    },

    /** The patient's (or a representative's, or the practice's) view of fees and receipts; access-checked and audited. */
    async listPatientPayments(ctx: RequestCtx, patientId: string): Promise<{ items: Payment[]; totalEur: string }> {
      return deps.policy.guard(ctx, () =>
        withTransaction(deps.db, async (tx) => {
          const access = await deps.policy.assertCanReadPatient(ctx, tx, patientId, 'demographics');
          const rate = ruleOn(await repo.loadRules(tx), 'money.bgn_per_eur', localDay(deps.clock.now(), deps.zone)).rate;
          let rows = await repo.listPaymentsOfPatient(tx, patientId);
          if (access.facilityScope) rows = rows.filter((r) => access.facilityScope?.includes(r.facility_id));
          await deps.audit.record(tx, ctx, { action: 'practice.payments_read', patientId, subject: { type: 'patient', id: patientId }, reason: access.reason, ...(access.facilityId ? { facilityId: access.facilityId } : {}), ...(access.onBehalfOf ? { onBehalfOf: access.onBehalfOf } : {}), data: { count: rows.length } });
          return { items: rows.map((r) => toPayment(r, rate)), totalEur: sumAmounts(rows.map((r) => inEur({ amount: r.amount, currency: r.currency }, rate))) };
        }),
      );
    },

    /** The practice's receipt as a PDF (Bulgarian), for the patient or the practice. */
    async receiptPdf(ctx: RequestCtx, paymentId: string): Promise<{ filename: string; pdf: Buffer }> {
      return deps.policy.guard(ctx, () =>
        withTransaction(deps.db, async (tx) => {
          const p = await repo.findPayment(tx, paymentId);
          if (!p) throw new NotFoundError('payment', paymentId);
          const access = await deps.policy.assertCanReadPatient(ctx, tx, p.patient_id, 'demographics');
          const facility = await repo.findFacility(tx, p.facility_id);
          const rate = ruleOn(await repo.loadRules(tx), 'money.bgn_per_eur', localDay(deps.clock.now(), deps.zone)).rate;
          const shown = showPrice({ amount: p.amount, currency: p.currency }, rate);
          await deps.audit.record(tx, ctx, { action: 'practice.payments_read', patientId: p.patient_id, subject: { type: 'practice_payment', id: p.id }, reason: access.reason, data: { count: 1, format: 'pdf' } });
          const paidAt = new Date(p.paid_at);
          const { doc, finish } = createPdf({ title: `Квитанция № ${p.receipt_number}` }, paidAt);
          doc.font(PDF_FONTS.bold).fontSize(16).text(`Квитанция № ${p.receipt_number}`);
          doc.font(PDF_FONTS.regular).fontSize(11).moveDown();
          doc.text(`${facility?.name ?? ''}, рег. № ${facility?.number ?? ''}`);
          doc.text(`Дата: ${localDay(fromDate(paidAt), deps.zone)}`);
          const purpose = { user_fee: 'Потребителска такса', price_list: 'Услуга по ценоразпис', lab_fee: 'Такса за вземане на биологичен материал', document: 'Издаване на документ' }[p.purpose];
          doc.text(`За: ${purpose}${p.item_code ? ` (${p.item_code})` : ''}${p.lab ? `, лаборатория ${p.lab}` : ''}`);
          doc.text(`Сума: ${shown.amount} ${shown.currency === 'EUR' ? 'евро' : 'лв.'}${shown.currency === 'BGN' ? ` (${shown.eur} евро по фиксирания курс 1.95583)` : ''}`);
          doc.text(`Начин на плащане: ${{ cash: 'в брой', card_terminal: 'с карта (ПОС терминал)', bank_transfer: 'банков превод' }[p.method]}${p.provider_reference ? `, ${p.provider_reference}` : ''}`);
          return { filename: `receipt-${p.receipt_number}.pdf`, pdf: await finish() };
        }),
      );
    },
  };
}
