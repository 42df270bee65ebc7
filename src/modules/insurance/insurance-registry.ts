/**
 * The port to the National Revenue Agency's insurance-status service (PIS_Request), as GP software
 * uses it: for an EGN or LNCh and a date it answers code 1 (insured), code 2 (interrupted, with the
 * months whose contributions are missing) or "not found", and nothing else about the person.
 * The bundled simulator (insurance-simulator.ts) implements the same port; a live adapter needs the
 * practice's qualified certificate and is configured outside this repository.
 */
export interface InsuranceRegistryRequest {
  identifierKind: 'egn' | 'lnch';
  identifier: string;
  /** The local date asked about, `YYYY-MM-DD`. */
  on: string;
}

export type InsuranceRegistryAnswer =
  | { code: 1; status: 'insured' }
  | { code: 2; status: 'interrupted'; missingMonths: string[] }
  | { code: 0; status: 'not_found' };

export interface InsuranceRegistry {
  /**
   * Asks the registry for one person's status on one date.
   * @param req - identifier and date
   * @returns the registry's answer
   * @throws {InsuranceRegistryError} when the registry cannot answer (timeout, outage, malformed reply)
   */
  checkStatus(req: InsuranceRegistryRequest): Promise<InsuranceRegistryAnswer>;
}

/** The registry did not answer usefully; never cached, shown as `insurance.registry_unavailable`. */
export class InsuranceRegistryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InsuranceRegistryError';
  }
}
