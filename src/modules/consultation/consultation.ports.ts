import type { Tx } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { RoomEvent } from '../../contracts/consultation.js';

/**
 * The gates of the consent module (consent, identity verification, admissibility; Art. 7, 10, 19),
 * consumed by the consultation. Implemented by the consent module and wired in composition.ts.
 */
export interface ConsultationGates {
  /**
   * Refuses unless the service may start or continue now (written consent on file before the start,
   * identity verified, admissibility decided). Runs in the caller's transaction.
   * @throws {AppError} the consent module's codes
   */
  assertServiceMayStart(tx: Tx, ctx: RequestCtx, requestId: string): Promise<void>;
  /**
   * Refuses unless a valid recording consent (reason, type, purpose; R-TM-25, R-TM-26) covers `media`.
   * @returns the consent record that allows it
   * @throws {AppError} the consent module's codes
   */
  assertRecordingAllowed(tx: Tx, ctx: RequestCtx, requestId: string, media: 'audio' | 'video' | 'screen'): Promise<{ consentId: string }>;
}

/**
 * The request lifecycle transitions the consultation triggers (requests module, STYLE C9): the first
 * admission starts the service, the specialist's completion completes it. The requests service owns
 * its transaction, so these run before the consultation's own change (see the service for the order);
 * an adapter treats "already there" (a request already in progress, or already completed) as success.
 */
export interface RequestLifecycle {
  /** accepted/scheduled → in_progress. */
  startService(ctx: RequestCtx, requestId: string): Promise<void>;
  /** in_progress → completed (Art. 17(2): the documentation deadline starts). */
  completeService(ctx: RequestCtx, requestId: string): Promise<void>;
}

/** Live events to the participants' connections, on whatever node they are (signalling hub). */
export interface RoomEvents {
  publish(consultationId: string, event: RoomEvent): Promise<void>;
}
