import type { InsuranceRegistry, InsuranceRegistryAnswer, InsuranceRegistryRequest } from './insurance-registry.js';
import { InsuranceRegistryError } from './insurance-registry.js';

/** A configured answer: fixed, or computed from the date asked about. */
export type SimulatedAnswer = InsuranceRegistryAnswer | ((on: string) => InsuranceRegistryAnswer);

/** Test and demo controls of the simulator; the demo configures its patients through these. */
export interface InsuranceSimulatorControl {
  /** Sets the answer for one identifier (others get the default). */
  setAnswer(identifier: string, answer: SimulatedAnswer): void;
  /** The answer for identifiers with none set (default: insured). */
  setDefault(answer: SimulatedAnswer): void;
  /** The next `n` calls fail with an outage. */
  failNext(n: number): void;
  /** Every answer waits this long first (a slow registry). */
  setDelayMs(ms: number): void;
  /** The requests received so far, oldest first. */
  calls(): readonly InsuranceRegistryRequest[];
  /** Forgets answers, failures, delay and calls. */
  reset(): void;
}

/**
 * The bundled NRA insurance-status simulator: same port and answer shapes as the live service, with
 * configurable answers, failures and delays.
 * @param opts - initial delay
 * @returns the port and its controls
 */
export function createInsuranceRegistrySimulator(opts: { delayMs?: number } = {}): { registry: InsuranceRegistry; control: InsuranceSimulatorControl } {
  const answers = new Map<string, SimulatedAnswer>();
  let fallback: SimulatedAnswer = { code: 1, status: 'insured' };
  let failures = 0;
  let delayMs = opts.delayMs ?? 0;
  const received: InsuranceRegistryRequest[] = [];

  const registry: InsuranceRegistry = {
    async checkStatus(req) {
      received.push({ ...req });
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      if (failures > 0) {
        failures -= 1;
        throw new InsuranceRegistryError('simulated registry outage');
      }
      const a = answers.get(req.identifier) ?? fallback;
      const answer = typeof a === 'function' ? a(req.on) : a;
      return answer.status === 'interrupted' ? { ...answer, missingMonths: [...answer.missingMonths] } : { ...answer };
    },
  };
  const control: InsuranceSimulatorControl = {
    setAnswer: (identifier, answer) => void answers.set(identifier, answer),
    setDefault: (answer) => {
      fallback = answer;
    },
    failNext: (n) => {
      failures = n;
    },
    setDelayMs: (ms) => {
      delayMs = ms;
    },
    calls: () => received,
    reset: () => {
      answers.clear();
      fallback = { code: 1, status: 'insured' };
      failures = 0;
      delayMs = opts.delayMs ?? 0;
      received.length = 0;
    },
  };
  return { registry, control };
}
