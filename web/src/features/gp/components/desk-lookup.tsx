import { useMemo, useState, type FormEvent } from 'react';
import { GpDeskLookupBodySchema } from '../../../../../src/contracts/gp.js';
import { useApi } from '../../../api/api-context.js';
import { Field, FormActions, FormProblem, useFormSubmit } from '../../../components/form.js';
import { Callout, Card, Facts } from '../../../components/ui.js';
import { locales, useLanguage, useT } from '../../../i18n/index.js';
import type { GpDeskLookup, GpDeskLookupBody } from '../api.js';

/** A plain `YYYY-MM-DD` date as people say it ("вторник, 30 юни 2026"); plain dates have no zone. */
export function usePlainDate(): (iso: string) => string {
  const { language } = useLanguage();
  return useMemo(() => {
    const f = new Intl.DateTimeFormat(locales[language], { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    return (iso) => f.format(new Date(`${iso}T00:00:00Z`));
  }, [language]);
}

const EMPTY: GpDeskLookupBody = { identifierKind: 'egn', identifier: '', givenName: '', familyName: '', birthDate: '' };

/** Step 1: the identity document's details; the server matches all of them to the record. */
export function DeskLookupForm({ facilityId, onFound }: { facilityId: string; onFound: (presented: GpDeskLookupBody, found: GpDeskLookup) => void }) {
  const t = useT();
  const api = useApi();
  const [v, setV] = useState<GpDeskLookupBody>(EMPTY);
  const form = useFormSubmit();
  const set = (k: keyof GpDeskLookupBody) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const body: GpDeskLookupBody = { ...v, identifier: v.identifier.trim(), givenName: v.givenName.trim(), familyName: v.familyName.trim() };
    void form.send(GpDeskLookupBodySchema, body, async () => onFound(body, await api.gp.lookUp(facilityId, body)));
  };
  return (
    <Card title={t('gpDesk.find.title')}>
      <form onSubmit={onSubmit} noValidate className="gp-desk-form" aria-label={t('gpDesk.find.title')}>
        <FormProblem problem={form.problem} />
        <Field label={t('gpDesk.find.kind')} pointer="#/identifierKind" problem={form.problem}>
          {(c) => (
            <select {...c} name="identifierKind" value={v.identifierKind} onChange={set('identifierKind')}>
              <option value="egn">{t('gpDesk.find.egn')}</option>
              <option value="lnch">{t('gpDesk.find.lnch')}</option>
            </select>
          )}
        </Field>
        <Field label={t('gpDesk.find.identifier')} pointer="#/identifier" problem={form.problem} hint={t('gpDesk.find.hint')}>
          {(c) => <input {...c} name="identifier" inputMode="numeric" autoComplete="off" value={v.identifier} onChange={set('identifier')} />}
        </Field>
        <Field label={t('gpDesk.find.givenName')} pointer="#/givenName" problem={form.problem}>
          {(c) => <input {...c} name="givenName" autoComplete="off" value={v.givenName} onChange={set('givenName')} />}
        </Field>
        <Field label={t('gpDesk.find.familyName')} pointer="#/familyName" problem={form.problem}>
          {(c) => <input {...c} name="familyName" autoComplete="off" value={v.familyName} onChange={set('familyName')} />}
        </Field>
        <Field label={t('gpDesk.find.birthDate')} pointer="#/birthDate" problem={form.problem}>
          {(c) => <input {...c} name="birthDate" type="date" value={v.birthDate} onChange={set('birthDate')} />}
        </Field>
        <FormActions submit={t('gpDesk.find.submit')} busy={form.busy} />
      </form>
    </Card>
  );
}

/** What the desk must know before it records a choice: the GP today, the window and the insurance status. */
export function DeskLookupFacts({ found }: { found: GpDeskLookup }) {
  const t = useT();
  const day = usePlainDate();
  const gp = found.currentGp;
  const window = found.changeWindow;
  const ins = found.insurance;
  return (
    <Card title={t('gpDesk.found.title')} className="gp-desk-facts">
      <Facts
        items={[
          { key: 'age', label: t('gpDesk.found.age'), value: t('gpDesk.found.years', { age: found.age }) },
          {
            key: 'gp',
            label: t('gpDesk.found.gp'),
            value: gp
              ? gp.kind === 'temporary' && gp.endsOn
                ? t('gpDesk.found.gpTemporary', { name: gp.practitionerName, practice: gp.facilityName, date: day(gp.endsOn) })
                : t('gpDesk.found.gpIs', { name: gp.practitionerName, practice: gp.facilityName, date: day(gp.startsOn) })
              : t('gpDesk.found.noGp'),
          },
          {
            key: 'window',
            label: t('gpDesk.found.window'),
            value: window.open && window.closesOn ? t('gpDesk.found.windowOpen', { date: day(window.closesOn) }) : t('gpDesk.found.windowClosed', { date: window.opensOn ? day(window.opensOn) : '' }),
          },
        ]}
      />
      <div data-insurance={ins?.status ?? 'unknown'}>
        <Callout tone={ins?.status === 'insured' ? 'info' : 'warn'} title={t('gpDesk.insurance.title')}>
          <p>
            {!ins
              ? t('gpDesk.insurance.unknown')
              : ins.status === 'interrupted'
                ? t('gpDesk.insurance.interrupted', { months: ins.missingMonths.join(', ') })
                : t(`gpDesk.insurance.${ins.status}`)}
          </p>
        </Callout>
      </div>
    </Card>
  );
}
