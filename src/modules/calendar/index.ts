/**
 * Appointments in the patient's own calendar: an .ics per appointment and a private feed per account
 * (docs/registration.md#calendar).
 */
export { createCalendarService, type CalendarService } from './calendar.service.js';
export { calendarRoutes } from './calendar.routes.js';
export { appointmentsIcs } from './calendar-ics.js';
