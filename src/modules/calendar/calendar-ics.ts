import { createEvents, type EventAttributes } from 'ics';
import type { RequestWithAppointment } from '../../contracts/requests.js';

/** What an appointment's calendar entry needs. */
export interface CalendarEntryInput {
  items: readonly RequestWithAppointment[];
  /** The platform's public origin, for links back to the request. */
  origin: string;
  /** DTSTAMP: when the file was made (the injected clock, never the host's). */
  stampMs: number;
  /** The calendar's name in the recipient's calendar application. */
  calendarName: string;
}

const LIVE = new Set(['proposed', 'pending', 'booked', 'arrived', 'checked-in']);

/**
 * iCalendar (RFC 5545) for appointments: one VEVENT per live appointment, in UTC, with a stable UID (so a
 * feed update changes an event instead of adding one) and a link back to the request. Bulgarian text; no
 * clinical content (the reason for the visit is not in a calendar that phones sync to other clouds).
 * @param input - the requests with their appointments
 * @returns the .ics text
 */
export function appointmentsIcs(input: CalendarEntryInput): string {
  const events: EventAttributes[] = [];
  for (const { request, appointment } of input.items) {
    if (!appointment) continue;
    const who = request.provider.practitionerName ?? request.provider.specialtyName;
    const what = request.provider.serviceName ?? request.provider.specialtyName;
    // Tricky: `timestamp` (DTSTAMP) is read by the library but missing from its types.
    const event: EventAttributes & { timestamp: number } = {
      uid: `${appointment.id}@distansia`,
      start: Date.parse(appointment.start),
      end: Date.parse(appointment.end),
      startInputType: 'utc',
      startOutputType: 'utc',
      endInputType: 'utc',
      endOutputType: 'utc',
      timestamp: input.stampMs,
      title: `${what} — ${who}`,
      description: `${request.provider.facilityName}. Видеоконсултация в Distansia: ${input.origin}/requests/${request.id}`,
      url: `${input.origin}/requests/${request.id}`,
      status: LIVE.has(appointment.status) ? 'CONFIRMED' : 'CANCELLED',
      ...(appointment.status === 'cancelled' ? {} : { alarms: [{ action: 'display', description: `${what} — ${who}`, trigger: { minutes: 30, before: true } }] }),
    };
    events.push(event);
  }
  const { error, value } = createEvents(events, { productId: '-//Distansia//BG', method: 'PUBLISH', calName: input.calendarName });
  if (error || !value) throw error ?? new Error('calendar could not be built');
  // An empty list still yields a valid, empty calendar.
  return value;
}
