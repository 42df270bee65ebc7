import type { Clock } from '../../platform/clock.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { NotFoundError } from '../../platform/errors/app-error.js';
import type { IdentityService } from '../identity/index.js';
import type { RequestsService } from '../requests/index.js';
import { appointmentsIcs } from './calendar-ics.js';

export interface CalendarDeps {
  clock: Clock;
  identity: Pick<IdentityService, 'createCalendarFeed' | 'revokeCalendarFeed' | 'calendarFeedStatus' | 'actorOfCalendarFeed'>;
  requests: Pick<RequestsService, 'listMyRequests'>;
  /** The public origin for links (config PUBLIC_URL), never the request's Host header. */
  origin: string;
}

/**
 * Appointments in the patient's own calendar (docs/registration.md#calendar): an .ics per appointment and a
 * private feed URL per account. Both read through the requests module, so the access policy decides.
 * @param deps - clock, identity (feed tokens), requests (the appointments) and the public origin
 * @returns the calendar service
 */
export function createCalendarService(deps: CalendarDeps) {
  const ics = (items: Parameters<typeof appointmentsIcs>[0]['items']) =>
    appointmentsIcs({ items, origin: deps.origin, stampMs: deps.clock.now().epochMilliseconds, calendarName: 'Distansia — часове' });
  return {
    /**
     * One appointment as an .ics file, for the requester side (patient or representative).
     * @throws {NotFoundError} when the request is not the actor's or has no appointment
     */
    async appointmentIcs(ctx: RequestCtx, requestId: string): Promise<string> {
      const mine = await deps.requests.listMyRequests(ctx, 'all');
      const item = mine.items.find((i) => i.request.id === requestId);
      if (!item?.appointment) throw new NotFoundError('appointment', requestId);
      return ics([item]);
    },

    /**
     * The feed: the account's upcoming appointments, or undefined for an unknown or revoked token.
     * @param base - the anonymous request (ip, request id)
     * @param token - from the URL
     */
    async feed(base: RequestCtx, token: string): Promise<string | undefined> {
      const actor = await deps.identity.actorOfCalendarFeed(token);
      if (!actor) return undefined;
      const upcoming = await deps.requests.listMyRequests({ ...base, actor }, 'upcoming');
      return ics(upcoming.items);
    },

    createFeed: (ctx: RequestCtx) => deps.identity.createCalendarFeed(ctx),
    revokeFeed: (ctx: RequestCtx) => deps.identity.revokeCalendarFeed(ctx),
    feedStatus: (ctx: RequestCtx) => deps.identity.calendarFeedStatus(ctx),
  };
}
export type CalendarService = ReturnType<typeof createCalendarService>;
