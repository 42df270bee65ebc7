import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useT } from '../../../i18n/index.js';
import { CreateStaffAccountBodySchema, StaffRoleSchema, type StaffRole } from '../../../../../src/contracts/identity.js';
import { Field, FormActions, FormProblem, useFormSubmit } from '../../../components/form.js';
import type { CreateStaffAccountBody, StaffAccount, StaffList } from '../api.js';

/**
 * A new staff account of the facility: a specialist (one of the facility's practitioners without an
 * account) or a coordinator or administrator under a display name. There is no password: the person
 * activates the account from the e-mailed link (docs/identity.md). The body is checked against the
 * server's contract before it is sent; the server's field errors show on the fields.
 */
export function CreateStaffForm({
  facilityId,
  practitioners,
  onCreate,
}: {
  facilityId: string;
  practitioners: StaffList['unlinkedPractitioners'];
  onCreate: (body: CreateStaffAccountBody) => Promise<StaffAccount>;
}) {
  const t = useT();
  const { problem, busy, send } = useFormSubmit();
  const [role, setRole] = useState<StaffRole>('specialist');
  const [practitionerId, setPractitionerId] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const common = { email: email.trim() };
    const body: CreateStaffAccountBody = role === 'specialist' ? { role, ...common, practitionerId } : { role, ...common, displayName: displayName.trim() };
    await send(CreateStaffAccountBodySchema, body, async () => {
      await onCreate(body);
      setPractitionerId('');
      setDisplayName('');
      setEmail('');
    });
  }

  const noPractitioners = role === 'specialist' && practitioners.length === 0;

  return (
    <form className="ra-form" onSubmit={(e) => void submit(e)} aria-labelledby="staff-create" noValidate>
      <h2 id="staff-create">{t('staffAdmin.create.title')}</h2>
      <p className="ra-muted">{t('staffAdmin.create.intro')}</p>
      <Field label={t('staffAdmin.create.role')} pointer="#/role" problem={problem}>
        {(c) => (
          <select {...c} value={role} onChange={(e) => setRole(StaffRoleSchema.parse(e.target.value))}>
            {StaffRoleSchema.options.map((r) => (
              <option key={r} value={r}>
                {t(`auth.role.${r}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {role === 'specialist' ? (
        noPractitioners ? (
          <p className="ra-notice" role="status">
            {t('staffAdmin.create.noPractitioners')} <Link to={`/admin/facilities/${facilityId}/specialists`}>{t('staffAdmin.create.specialistsLink')}</Link>
          </p>
        ) : (
          <Field label={t('staffAdmin.create.practitioner')} pointer="#/practitionerId" problem={problem} hint={t('staffAdmin.create.practitionerHint')}>
            {(c) => (
              <select {...c} required value={practitionerId} onChange={(e) => setPractitionerId(e.target.value)}>
                <option value="">{t('staffAdmin.create.choose')}</option>
                {practitioners.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )
      ) : (
        <Field label={t('staffAdmin.create.displayName')} pointer="#/displayName" problem={problem}>
          {(c) => <input {...c} required maxLength={200} autoComplete="off" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
        </Field>
      )}
      <Field label={t('staffAdmin.create.email')} pointer="#/email" problem={problem}>
        {(c) => <input {...c} type="email" required maxLength={320} autoComplete="off" spellCheck={false} value={email} onChange={(e) => setEmail(e.target.value)} />}
      </Field>
      <FormProblem problem={problem} />
      {noPractitioners ? null : <FormActions submit={t('staffAdmin.create.submit')} busy={busy} />}
    </form>
  );
}
