/**
 * Payments are recorded, not processed (issue brief; docs/practice.md): the front desk takes cash, a card
 * on the practice's own terminal or a bank transfer and records it here. A card acquirer's online
 * payment comes later as another `PaymentProvider`.
 */
export interface PaymentProviderRequest {
  method: 'cash' | 'card_terminal' | 'bank_transfer';
  amount: string;
  currency: 'EUR' | 'BGN';
  /** the terminal slip number or the bank-transfer reference */
  reference?: string | undefined;
}

export type PaymentProviderAnswer = { status: 'recorded'; reference: string | null } | { status: 'refused'; why: string };

export interface PaymentProvider {
  /** Confirms a payment before it is recorded. */
  confirm(req: PaymentProviderRequest): Promise<PaymentProviderAnswer>;
}

/**
 * The desk's own confirmation: cash needs nothing; a card-terminal or bank payment needs its slip or
 * transfer reference so the receipt can be matched to the statement.
 * @returns the provider
 */
export function manualPaymentProvider(): PaymentProvider {
  return {
    async confirm(req) {
      if (req.method !== 'cash' && !req.reference) return { status: 'refused', why: `a ${req.method} payment needs its slip or transfer reference` };
      return { status: 'recorded', reference: req.reference ?? null };
    },
  };
}
