import { useState, type FormEvent } from 'react';
import { CreateGpRegistrationBodySchema, type CreateGpRegistrationBody, type GpRegistrationKind } from '../../../../../src/contracts/gp.js';
import { useApi } from '../../../api/api-context.js';
import { Field, FormActions, FormProblem, useFormSubmit } from '../../../components/form.js';
import { Card } from '../../../components/ui.js';
import { useT, type MessageKey } from '../../../i18n/index.js';
import type { GpDeskLookup, GpDeskLookupBody, GpRegistration } from '../api.js';

type Basis = 'parent' | 'guardian' | 'curator';
type Exception = '' | 'gp_unable' | 'address_change';

/**
 * Step 2: the choice as written on the presented form (W8-W10): kind, GP, documents (R-GP-06), the
 * representative or consent (R-GP-08), grounds outside the window (R-GP-03) or the temporary stay
 * (R-GP-04). The server decides; its refusal is shown in words.
 */
export function DeskChoiceForm({ facilityId, presented, found, onDone }: { facilityId: string; presented: GpDeskLookupBody; found: GpDeskLookup; onDone: (r: GpRegistration) => void }) {
  const t = useT();
  const api = useApi();
  const form = useFormSubmit();
  const open = found.gps.filter((g) => g.remaining !== 0 && g.practitionerId !== found.currentGp?.practitionerId);
  const [kind, setKind] = useState<GpRegistrationKind>(found.suggestedKind);
  const [gp, setGp] = useState(open[0]?.practitionerId ?? '');
  const [docs, setDocs] = useState({ healthInsuranceBooklet: false, initialFormCopy3: false, choiceForm: false });
  const [basis, setBasis] = useState<Basis>('parent');
  const [repName, setRepName] = useState('');
  const [repDoc, setRepDoc] = useState('');
  const [exception, setException] = useState<Exception>('');
  const [exceptionDoc, setExceptionDoc] = useState('');
  const [stay, setStay] = useState({ startsOn: found.today, endsOn: '' });

  const representative = { basis, name: repName.trim(), documentRef: repDoc.trim() };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const body: CreateGpRegistrationBody = {
      kind,
      patientId: found.patientId,
      practitionerId: gp,
      facilityId,
      patient: presented,
      signer: found.representation === 'representative' ? { kind: 'representative', representative } : found.representation === 'consent' ? { kind: 'self', consent: representative } : { kind: 'self' },
      interdiction: 'none',
      documents: docs,
      ...(kind === 'permanent' && exception ? { exception: { kind: exception, documentRef: exceptionDoc.trim() } } : {}),
      ...(kind === 'temporary' ? { temporary: stay } : {}),
    };
    void form.send(CreateGpRegistrationBodySchema, body, async () => onDone(await api.gp.register(body)));
  };
  const gpLabel = (g: GpDeskLookup['gps'][number]) =>
    g.remaining === 0 ? t('gpDesk.choice.gpFull', { name: g.name }) : g.remaining === null ? t('gpDesk.choice.gpOption', { name: g.name, listed: g.listed }) : t('gpDesk.choice.gpRoom', { name: g.name, listed: g.listed, remaining: g.remaining });
  return (
    <Card title={t('gpDesk.choice.title')}>
      <form onSubmit={onSubmit} noValidate className="gp-desk-form" aria-label={t('gpDesk.choice.title')}>
        <FormProblem problem={form.problem} />
        <fieldset className="ra-choices">
          <legend>{t('gpDesk.choice.kind')}</legend>
          {(['initial', 'permanent', 'temporary'] as const).map((k) => (
            <label key={k} className="ra-choice">
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {t(`gp.kind.${k}`)}
            </label>
          ))}
        </fieldset>
        <Field label={t('gpDesk.choice.gp')} pointer="#/practitionerId" problem={form.problem}>
          {(c) => (
            <select {...c} name="practitionerId" value={gp} onChange={(e) => setGp(e.target.value)}>
              {found.gps.map((g) => (
                <option key={g.practitionerId} value={g.practitionerId} disabled={g.remaining === 0}>
                  {gpLabel(g)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset className="ra-choices">
          <legend>{t('gpDesk.choice.documents')}</legend>
          {(
            [
              ['healthInsuranceBooklet', 'gpDesk.choice.booklet'],
              ['initialFormCopy3', 'gpDesk.choice.copy3'],
              ['choiceForm', 'gpDesk.choice.form'],
            ] as const
          ).map(([k, label]) => (
            <label key={k} className="ra-choice">
              <input type="checkbox" name={k} checked={docs[k]} onChange={(e) => setDocs((d) => ({ ...d, [k]: e.target.checked }))} />
              {t(label)}
            </label>
          ))}
        </fieldset>
        {found.representation !== 'none' ? (
          <fieldset className="ra-choices gp-desk-signer">
            <legend>{t(found.representation === 'representative' ? 'gpDesk.signer.representative' : 'gpDesk.signer.consent')}</legend>
            <Field label={t('gpDesk.signer.basis')}>
              {(c) => (
                <select {...c} name="basis" value={basis} onChange={(e) => setBasis(e.target.value as Basis)}>
                  {(['parent', 'guardian', 'curator'] as const).map((b) => (
                    <option key={b} value={b}>
                      {t(`gpDesk.signer.${b}` as MessageKey)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('gpDesk.signer.name')} pointer="#/signer" problem={form.problem}>
              {(c) => <input {...c} name="representativeName" value={repName} onChange={(e) => setRepName(e.target.value)} />}
            </Field>
            <Field label={t('gpDesk.signer.document')}>
              {(c) => <input {...c} name="representativeDocument" value={repDoc} onChange={(e) => setRepDoc(e.target.value)} />}
            </Field>
          </fieldset>
        ) : null}
        {kind === 'permanent' ? (
          <>
            <Field label={t('gpDesk.choice.exception')} pointer="#/exception" problem={form.problem}>
              {(c) => (
                <select {...c} name="exception" value={exception} onChange={(e) => setException(e.target.value as Exception)}>
                  <option value="">{t('gpDesk.choice.exceptionNone')}</option>
                  <option value="gp_unable">{t('gpDesk.choice.exception.gp_unable')}</option>
                  <option value="address_change">{t('gpDesk.choice.exception.address_change')}</option>
                </select>
              )}
            </Field>
            {exception ? (
              <Field label={t('gpDesk.choice.exceptionDoc')}>{(c) => <input {...c} name="exceptionDocument" value={exceptionDoc} onChange={(e) => setExceptionDoc(e.target.value)} />}</Field>
            ) : null}
          </>
        ) : null}
        {kind === 'temporary' ? (
          <>
            <Field label={t('gpDesk.choice.startsOn')} pointer="#/temporary" problem={form.problem}>
              {(c) => <input {...c} type="date" name="startsOn" value={stay.startsOn} onChange={(e) => setStay((s) => ({ ...s, startsOn: e.target.value }))} />}
            </Field>
            <Field label={t('gpDesk.choice.endsOn')}>{(c) => <input {...c} type="date" name="endsOn" value={stay.endsOn} onChange={(e) => setStay((s) => ({ ...s, endsOn: e.target.value }))} />}</Field>
          </>
        ) : null}
        <FormActions submit={t('gpDesk.submit')} busy={form.busy} />
      </form>
    </Card>
  );
}
