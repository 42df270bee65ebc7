import type { Page } from 'playwright-core';

/**
 * A same-origin JSON call made by the page itself (its session cookie and CSRF token).
 * @param page - a signed-in page
 * @param method - HTTP method
 * @param path - e.g. `/api/v1/requests/…/transitions`
 * @param body - JSON body, if any
 * @returns the parsed response body
 * @throws {Error} with the status and the problem body, for any status from 300 up
 */
export async function pageApi<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const r = await page.evaluate(
    async ({ method, path, body }) => {
      const csrf = /(?:^|;\s*)csrf=([^;]+)/.exec(document.cookie)?.[1];
      const headers: Record<string, string> = csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(path, { method, credentials: 'same-origin', headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, json: (await res.json().catch(() => null)) as unknown };
    },
    { method, path, body },
  );
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json as T;
}

/**
 * The signed-in GP's practice and the patients on their list, as the GP's own API calls see them.
 * @param gp - the GP's signed-in page
 * @param pageSize - how many listed patients to read
 * @returns the GP's practitioner id, their (first) practice and its listed patients
 */
export async function gpPractice(gp: Page, pageSize: number): Promise<{ practitionerId: string; facilityId: string; listed: { patientId: string; birthDate: string }[] }> {
  const me = await pageApi<{ practitionerId: string; facilityIds: string[] }>(gp, 'GET', '/api/v1/me');
  const list = await pageApi<{ items: { patientId: string; birthDate: string }[] }>(gp, 'GET', `/api/v1/practitioners/${me.practitionerId}/patient-list?page=1&pageSize=${pageSize}&status=listed`);
  return { practitionerId: me.practitionerId, facilityId: me.facilityIds[0] ?? '', listed: list.items };
}
