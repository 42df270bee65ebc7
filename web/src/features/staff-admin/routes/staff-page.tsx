import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';
import { FormProblem, Notice } from '../../../components/form.js';
import { useAction } from '../../../components/use-action.js';
import { useResource } from '../../../api/use-resource.js';
import type { StaffAccount, StaffAccountAction } from '../api.js';
import { CreateStaffForm } from '../components/create-staff-form.js';
import { StaffCard, staffName } from '../components/staff-card.js';
import '../../registry-admin/registry-admin.css';
import '../staff-admin.css';

type Me = NonNullable<ReturnType<typeof useAuth>['me']>;

/** Who the page is for; the server still decides every call (staff-accounts.service.ts). */
const isStaffManager = (me: Me) => me.role === 'facility_admin' || me.role === 'operator';

/**
 * `/admin/staff`: the staff accounts of a facility. Its administrators create accounts (the person
 * activates them from an e-mailed link), send a new link, deactivate and reactivate them, unlock them and
 * reset a second factor; the platform operator may unlock and deactivate.
 */
export function StaffPage() {
  const t = useT();
  useDocumentTitle(t('staffAdmin.title'));
  const { me } = useAuth();
  let body;
  if (me === undefined) body = <p role="status">{t('staffAdmin.loading')}</p>;
  else if (me === null)
    body = (
      <p>
        {t('staffAdmin.gate.signIn')} <Link to="/sign-in">{t('staffAdmin.gate.signInLink')}</Link>
      </p>
    );
  else if (!isStaffManager(me)) body = <p>{t('staffAdmin.gate.notAllowed')}</p>;
  else body = <StaffAdmin me={me} />;
  return (
    <div className="page registry-admin staff-admin">
      {me?.role === 'facility_admin' ? (
        <p className="ra-back">
          <Link to="/admin">{t('staffAdmin.back')}</Link>
        </p>
      ) : null}
      <h1>{t('staffAdmin.title')}</h1>
      {body}
    </div>
  );
}

function StaffAdmin({ me }: { me: Me }) {
  const t = useT();
  const { staff } = useApi();
  // The admin area's loader; staff calls go through the app's client (`useApi().staff`), not the registry's.
  const facilities = useResource('staff-facilities', () => staff.facilities());
  const [chosen, setChosen] = useState<string>();
  const items = facilities.state === 'ready' ? facilities.value.items : [];
  const facilityId = items.some((f) => f.id === chosen) ? chosen : items[0]?.id;
  const list = useResource(facilityId ? `staff/${facilityId}` : null, () => staff.list(facilityId ?? ''));
  const { problem, notice, setNotice, run } = useAction();

  if (facilities.state === 'loading') return <p role="status">{t('staffAdmin.loading')}</p>;
  if (facilities.state === 'problem') return <FormProblem problem={facilities.problem} />;
  const { can } = facilities.value;
  if (!facilityId) return <p>{t('staffAdmin.noFacilities')}</p>;

  async function act(account: StaffAccount, action: StaffAccountAction) {
    if (!facilityId) return;
    await run(async () => {
      const after = await staff.act(facilityId, account.id, action);
      if (list.state === 'ready') list.set({ ...list.value, items: list.value.items.map((a) => (a.id === after.id ? after : a)) });
      return t(`staffAdmin.done.${action}`, { name: staffName(after) });
    });
  }

  return (
    <>
      <p className="lead">{t(me.role === 'operator' ? 'staffAdmin.leadOperator' : 'staffAdmin.lead')}</p>
      {items.length > 1 ? (
        <div className="ra-field staff-facility">
          <label htmlFor="staff-facility">{t('staffAdmin.facility')}</label>
          <select id="staff-facility" value={facilityId} onChange={(e) => setChosen(e.target.value)}>
            {items.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </div>
      ) : (
        <p className="ra-muted">
          {t('staffAdmin.facility')}: <strong>{items[0]?.name}</strong>
        </p>
      )}
      <section aria-labelledby="staff-list">
        <h2 id="staff-list">{t('staffAdmin.list.title')}</h2>
        <Notice text={notice} />
        <FormProblem problem={problem} />
        {list.state === 'loading' ? <p role="status">{t('staffAdmin.loading')}</p> : null}
        {list.state === 'problem' ? <FormProblem problem={list.problem} /> : null}
        {list.state === 'ready' && list.value.items.length === 0 ? <p>{t('staffAdmin.list.empty')}</p> : null}
        {list.state === 'ready' && list.value.items.length > 0 ? (
          <ul className="ra-list" role="list">
            {list.value.items.map((a) => (
              <StaffCard key={a.id} account={a} self={a.id === me.id} can={can} onAction={act} />
            ))}
          </ul>
        ) : null}
      </section>
      {can.create && list.state === 'ready' ? (
        <section>
          <CreateStaffForm
            facilityId={facilityId}
            practitioners={list.value.unlinkedPractitioners}
            onCreate={async (body) => {
              const created = await staff.create(facilityId, body);
              setNotice(t('staffAdmin.create.done', { name: staffName(created) }));
              list.reload();
              return created;
            }}
          />
        </section>
      ) : null}
    </>
  );
}
