import { useState, type FormEvent } from 'react';
import { problemFromError } from '../../../api/problem.js';
import { locales, useLanguage, useT } from '../../../i18n/index.js';
import { ScheduleExceptionInputSchema } from '../../../../../src/contracts/scheduling.js';
import type { Facility, Practitioner, Schedule, ScheduleException, ScheduleExceptionInput } from '../api.js';
import { useResource } from '../../../api/use-resource.js';
import { useApi } from '../../../api/api-context.js';
import { Field, FormProblem, FormActions, Notice, useFormSubmit } from '../../../components/form.js';
import { formatDate, personName, todayInSofia, weekdayName } from '../format.js';
import { CapacityWarnings } from './capacity-warnings.js';
import { ResourceList } from './resource-list.js';
import { ScheduleForm } from './schedule-form.js';

const REASONS: readonly ScheduleException['reason'][] = ['leave', 'sick', 'training', 'other'];

/** Weekly schedules with the Art. 16 warnings, and the specialists' absences (Art. 15 item 4, 16). */
export function SchedulesSection({ facility }: { facility: Facility }) {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi().registryAdmin;
  const data = useResource(`schedules/${facility.id}`, async (a) => {
    const [schedules, practitioners, services] = await Promise.all([a.registryAdmin.schedules(facility.id), a.registryAdmin.practitioners(facility.id), a.registryAdmin.services(facility.id)]);
    return { schedules, practitioners: practitioners.items, services: services.items };
  });
  const [editing, setEditing] = useState<string>();

  if (data.state === 'loading') return <p role="status">{t('registryAdmin.common.loading')}</p>;
  if (data.state === 'problem') return <FormProblem problem={data.problem} />;
  const { schedules, practitioners, services } = data.value;
  const nameOf = (id: string) => {
    const p = practitioners.find((x) => x.id === id);
    return p ? personName(p) : id;
  };
  const serviceName = (id: string) => services.find((s) => s.id === id)?.name ?? id;
  const ruleText = (s: Schedule) => s.rules.map((r) => `${weekdayName(r.weekday, locales[language])} ${r.start}–${r.end}`).join('; ');

  return (
    <>
      <section aria-labelledby="ra-schedules">
        <h2 id="ra-schedules">{t('registryAdmin.sch.title')}</h2>
        <p className="ra-muted">{t('registryAdmin.sch.intro')}</p>
        <CapacityWarnings warnings={schedules.warnings} nameOf={nameOf} headingLevel={3} />
        {schedules.items.length === 0 ? <p>{t('registryAdmin.sch.none')}</p> : null}
        <ul className="ra-list" role="list">
          {schedules.items.map((s) => (
            <li key={s.id} className="ra-card">
              <div className="ra-card__head">
                <h3 className="ra-card__title">
                  {nameOf(s.practitionerId)} · {serviceName(s.serviceId)}
                </h3>
                <span className={`ra-badge ra-badge--${s.active ? 'active' : 'withdrawn'}`}>{t(s.active ? 'registryAdmin.sch.isActive' : 'registryAdmin.sch.isInactive')}</span>
              </div>
              <p>{ruleText(s)}</p>
              <p className="ra-muted">
                {t('registryAdmin.sch.summary', { minutes: s.slotMinutes, from: formatDate(s.validFrom, language) })}
                {s.validTo ? ` ${t('registryAdmin.sch.until', { to: formatDate(s.validTo, language) })}` : ''}
                {s.observeHolidays ? ` · ${t('registryAdmin.sch.holidaysOff')}` : ''}
              </p>
              {editing === s.id ? (
                <ScheduleForm
                  practitioners={practitioners}
                  services={services}
                  schedule={s}
                  onCancel={() => setEditing(undefined)}
                  onUpdate={async (input) => {
                    const result = await api.updateSchedule(facility.id, s.id, input);
                    data.reload();
                    return result;
                  }}
                />
              ) : (
                <div className="ra-actions">
                  <button type="button" className="button button--secondary" onClick={() => setEditing(s.id)} aria-label={`${t('registryAdmin.sch.change')}: ${nameOf(s.practitionerId)}, ${serviceName(s.serviceId)}`}>
                    {t('registryAdmin.sch.change')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
        <h3>{t('registryAdmin.sch.new')}</h3>
        <ScheduleForm
          practitioners={practitioners}
          services={services}
          onCreate={async (input) => {
            const result = await api.createSchedule(facility.id, input);
            data.reload();
            return result;
          }}
        />
      </section>
      <AbsencesSection facility={facility} practitioners={practitioners} />
    </>
  );
}

function AbsencesSection({ facility, practitioners }: { facility: Facility; practitioners: readonly Practitioner[] }) {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi().registryAdmin;
  const absences = useResource(`absences/${facility.id}`, (a) => a.registryAdmin.absences(facility.id));
  const [practitionerId, setPractitionerId] = useState('');
  const [startsOn, setStartsOn] = useState(todayInSofia);
  const [endsOn, setEndsOn] = useState(todayInSofia);
  const [reason, setReason] = useState<ScheduleException['reason']>('leave');
  const [everywhere, setEverywhere] = useState(false);
  const { problem, setProblem, send } = useFormSubmit();
  const [notice, setNotice] = useState<string>();
  const nameOf = (id: string) => {
    const p = practitioners.find((x) => x.id === id);
    return p ? personName(p) : id;
  };

  async function add(event: FormEvent) {
    event.preventDefault();
    const body: ScheduleExceptionInput = { practitionerId, startsOn, endsOn, reason, ...(everywhere ? {} : { facilityId: facility.id }) };
    setNotice(undefined);
    await send(ScheduleExceptionInputSchema, body, async () => {
      await api.addAbsence(facility.id, body);
      setNotice(t('registryAdmin.abs.added', { name: nameOf(practitionerId) }));
      absences.reload();
    });
  }

  async function remove(absence: ScheduleException) {
    setProblem(undefined);
    try {
      await api.removeAbsence(facility.id, absence.id);
      setNotice(t('registryAdmin.abs.removed', { name: nameOf(absence.practitionerId) }));
    } catch (error) {
      setProblem(problemFromError(error));
    }
    absences.reload();
  }

  return (
    <section aria-labelledby="ra-absences">
      <h2 id="ra-absences">{t('registryAdmin.abs.title')}</h2>
      <p className="ra-muted">{t('registryAdmin.abs.intro')}</p>
      <Notice text={notice} />
      <ResourceList
        resource={absences}
        empty={t('registryAdmin.abs.none')}
        quietWhileLoading
        renderItem={(a) => (
          <li key={a.id} className="ra-card ra-card--row">
            <span>
              {t('registryAdmin.abs.item', { name: nameOf(a.practitionerId), from: formatDate(a.startsOn, language), to: formatDate(a.endsOn, language), reason: t(`registryAdmin.abs.reason.${a.reason}`) })}
              {a.facilityId === null ? ` · ${t('registryAdmin.abs.everywhereShort')}` : ''}
            </span>
            <button type="button" className="button button--secondary" onClick={() => void remove(a)} aria-label={`${t('registryAdmin.common.remove')}: ${nameOf(a.practitionerId)}, ${formatDate(a.startsOn, language)}`}>
              {t('registryAdmin.common.remove')}
            </button>
          </li>
        )}
      />
      <h3>{t('registryAdmin.abs.new')}</h3>
      <form className="ra-form" onSubmit={(e) => void add(e)}>
        <Field label={t('registryAdmin.sch.practitioner')} pointer="#/practitionerId" problem={problem}>
          {(c) => (
            <select {...c} required value={practitionerId} onChange={(e) => setPractitionerId(e.target.value)}>
              <option value="">{t('registryAdmin.field.choose')}</option>
              {practitioners.map((p) => (
                <option key={p.id} value={p.id}>
                  {personName(p)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="ra-row">
          <Field label={t('registryAdmin.abs.startsOn')} pointer="#/startsOn" problem={problem}>
            {(c) => <input {...c} type="date" required value={startsOn} onChange={(e) => setStartsOn(e.target.value)} />}
          </Field>
          <Field label={t('registryAdmin.abs.endsOn')} pointer="#/endsOn" problem={problem}>
            {(c) => <input {...c} type="date" required min={startsOn} value={endsOn} onChange={(e) => setEndsOn(e.target.value)} />}
          </Field>
        </div>
        <Field label={t('registryAdmin.abs.reason')} pointer="#/reason" problem={problem}>
          {(c) => (
            <select {...c} value={reason} onChange={(e) => setReason(e.target.value as ScheduleException['reason'])}>
              {REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`registryAdmin.abs.reason.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <label className="ra-choice">
          <input type="checkbox" checked={everywhere} onChange={(e) => setEverywhere(e.target.checked)} />
          <span>{t('registryAdmin.abs.everywhere')}</span>
        </label>
        <FormProblem problem={problem} />
        <FormActions submit={t('registryAdmin.abs.submit')} />
      </form>
    </section>
  );
}
