import { useState } from 'react';
import { useResource } from '../../api/use-resource.js';
import type { RequestWithAppointment } from './api.js';

// The booking page's shared state (routes/book-page.tsx): the choices the URL holds, and the slot hooks.

/** Every choice of the booking page, as the URL holds it. */
export type Params = { specialty?: string; facility?: string; specialist?: string; service?: string; slot?: string };

/** A booked request with the names the confirmation shows. */
export type Booked = RequestWithAppointment & { names: { facility: string; specialist: string } };

/** The chosen slot's start, from the specialist's free slots (undefined while loading or when gone). */
export function useSlotStart(p: Params): string | undefined {
  const slots = useFreeAround(p);
  return slots?.find((s) => s.id === p.slot)?.start;
}

/** Free slots of the chosen specialist and service over the next 31 days (the directory's largest window) (for a slot chosen elsewhere). */
export function useFreeAround(p: Params): { id: string; start: string }[] | undefined {
  const key = p.slot && p.specialist && p.service ? `book/slot/${p.specialist}/${p.service}` : null;
  const [now] = useState(() => new Date());
  const res = useResource(key, (api) => api.requests.freeSlots(p.specialist ?? '', p.service ?? '', now.toISOString(), new Date(now.getTime() + 31 * 86_400_000).toISOString()));
  return key && res.state === 'ready' ? res.value.items : undefined;
}
