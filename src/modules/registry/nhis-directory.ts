/**
 * The port to the NHIS database of facilities that provide care at a distance (Art. 24, R-TM-34).
 * No public NHIS message for it is known (docs/nhis.md, "Message shapes"): the entry carries what the
 * ordinance makes public (the facility, its published remote services and the specialists' weekly hours,
 * Art. 15), in the NHIS's own identifiers (RZI number, CL006 specialty, UIN, EKATTE). The bundled simulator
 * (below) implements the port; a live adapter would sit behind the same interface once the NHIS publishes
 * the message.
 */
export interface NhisDirectoryEntry {
  facility: { number: string; name: string; typeCode: string; rhifCode: string; ekatte: string | null; settlement: string; address: string; phone: string | null; email: string | null };
  services: {
    id: string;
    specialtyCode: string;
    kindCode: string;
    mode: 'synchronous' | 'asynchronous';
    nhifPaid: boolean;
    priceEurCents: number | null;
    /** The weekly hours, in the facility's wall time: ISO weekday 1-7, `HH:MM`. */
    hours: { uin: string; weekday: number; start: string; end: string }[];
  }[];
  practitioners: { uin: string; specialtyCodes: string[] }[];
}

export interface NhisDirectoryReceipt {
  /** The NHIS's reference of the facility's entry. */
  reference: string;
}

export interface NhisDirectory {
  /**
   * Registers the facility or replaces its entry.
   * @throws {NhisDirectoryError} `unavailable` (retry later) or `refused` (the entry is wrong; no retry)
   */
  register(entry: NhisDirectoryEntry): Promise<NhisDirectoryReceipt>;
  /** Removes the facility's entry (suspended, or nothing published any more). Unknown numbers are no error. */
  deregister(facilityNumber: string): Promise<void>;
}

export class NhisDirectoryError extends Error {
  constructor(
    readonly kind: 'unavailable' | 'refused',
    readonly reason: string,
  ) {
    super(`NHIS directory ${kind}: ${reason}`);
    this.name = 'NhisDirectoryError';
  }
}

/** Test and demo controls of the simulator. */
export interface NhisDirectorySimulatorControl {
  /** The entries the simulated NHIS holds, by RZI number. */
  entries(): ReadonlyMap<string, NhisDirectoryEntry>;
  /** The next `n` calls fail as an outage. */
  failNext(n: number): void;
  /** The next registration is refused with this reason (as the NHIS refuses an entry it cannot take). */
  refuseNext(reason: string): void;
  /** Every call takes this long first. */
  setDelayMs(ms: number): void;
  /** How many register and deregister calls arrived. */
  calls(): number;
  reset(): void;
}

/**
 * The bundled simulator of the NHIS facility database: keeps the entries in memory, refuses an entry the
 * NHIS could not take (an RZI number that is not 10 digits, no service, a specialist without a UIN or an
 * hour range that ends before it starts), and can be made to fail or be slow.
 * @returns the port and its controls
 */
export function createNhisDirectorySimulator(): { directory: NhisDirectory; control: NhisDirectorySimulatorControl } {
  const held = new Map<string, NhisDirectoryEntry>();
  let failures = 0;
  let refuse: string | undefined;
  let delayMs = 0;
  let calls = 0;
  let seq = 0;
  const arrive = async () => {
    calls += 1;
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    if (failures > 0) {
      failures -= 1;
      throw new NhisDirectoryError('unavailable', 'simulated_outage');
    }
  };
  const refusal = (e: NhisDirectoryEntry): string | undefined => {
    if (!/^\d{10}$/.test(e.facility.number)) return 'invalid_facility_number';
    if (e.services.length === 0) return 'no_services';
    for (const s of e.services) for (const h of s.hours) if (!/^\d{10}$/.test(h.uin) || h.end <= h.start || h.weekday < 1 || h.weekday > 7) return 'invalid_hours';
    return undefined;
  };
  const directory: NhisDirectory = {
    async register(entry) {
      await arrive();
      const reason = refuse ?? refusal(entry);
      refuse = undefined;
      if (reason) throw new NhisDirectoryError('refused', reason);
      held.set(entry.facility.number, structuredClone(entry));
      seq += 1;
      return { reference: `TM-${entry.facility.number}-${String(seq).padStart(4, '0')}` };
    },
    async deregister(number) {
      await arrive();
      held.delete(number);
    },
  };
  const control: NhisDirectorySimulatorControl = {
    entries: () => held,
    failNext: (n) => {
      failures = n;
    },
    refuseNext: (reason) => {
      refuse = reason;
    },
    setDelayMs: (ms) => {
      delayMs = ms;
    },
    calls: () => calls,
    reset: () => {
      held.clear();
      failures = 0;
      refuse = undefined;
      delayMs = 0;
      calls = 0;
    },
  };
  return { directory, control };
}
