import { Fragment, useState, type ReactNode } from 'react';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource } from '../../../api/use-resource.js';

/**
 * The shell of a patient-side page: whom the account acts for (the patient, or the patients a
 * representative acts for), a choice when there is more than one, and the chosen patient's view.
 * @param props.id - the select's id; props.label - its label
 * @param props.loading - shown while the list loads (none: nothing)
 * @param props.empty - shown when the account acts for nobody (none: nothing)
 * @param props.children - the view of one patient, mounted afresh for each choice
 */
export function ActingForPatient(props: { id: string; label: string; loading?: string; empty?: string; children: (patientId: string) => ReactNode }) {
  const acting = useResource('access/acting-for', (api) => api.access.actingFor().then((r) => r.items));
  const [selected, setSelected] = useState<string>();
  const patients = acting.state === 'ready' ? acting.value : [];
  const patientId = selected ?? patients[0]?.patientId;
  return (
    <>
      {acting.state === 'loading' && props.loading ? <p aria-live="polite">{props.loading}</p> : null}
      {acting.state === 'problem' ? <ProblemAlert problem={acting.problem} /> : null}
      {patients.length > 1 ? (
        <div className="field">
          <label htmlFor={props.id}>{props.label}</label>
          <select id={props.id} value={patientId ?? ''} onChange={(e) => setSelected(e.target.value)}>
            {patients.map((p) => (
              <option key={p.patientId} value={p.patientId}>{`${p.givenName} ${p.familyName}`}</option>
            ))}
          </select>
        </div>
      ) : null}
      {acting.state === 'ready' && patients.length === 0 && props.empty ? <p>{props.empty}</p> : null}
      {patientId ? <Fragment key={patientId}>{props.children(patientId)}</Fragment> : null}
    </>
  );
}
