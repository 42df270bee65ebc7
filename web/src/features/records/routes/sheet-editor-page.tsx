import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useDocumentTitle, useFormatDateTime, useLanguage, useT, type MessageKey } from '../../../i18n/index.js';
import type { RequestWithAppointment } from '../../requests/api.js';
import type { ClinicalDocument, ClosingKind, Deadline, SheetTemplate } from '../api.js';
import { DeadlineSummary } from '../components/deadline-summary.js';
import { DiagnosesField } from '../components/diagnoses-field.js';
import { DocumentView, textFieldLabel } from '../components/document-view.js';
import { SignedDocument } from '../components/signed-document.js';
import { applyTemplate, bodyFromForm, fieldOfPointer, formFromBody, PURPOSES, type SheetForm, type TextField } from '../sheet-form.js';
import '../records.css';

/** Unsaved changes are saved this long after the last keystroke (Ctrl+S saves at once). */
export const AUTOSAVE_MS = 4000;

type Mode = 'edit' | 'review' | 'signed';

/**
 * Before completion there is no deadline to name the document kind yet; the rule is the server's
 * R-TM-40 (a patient's or representative's request closes with an ambulatory sheet, a specialist's
 * with a written consultation), which the server enforces again on every write.
 */
function closingKindOf(requesterKind: RequestWithAppointment['request']['requester']['kind']): ClosingKind {
  return requesterKind === 'specialist' ? 'consultation_report' : 'ambulatory_sheet';
}

/** Field issues of a refused save or signature, keyed `anamnesis`, `diagnoses`, `medications.0.name`. */
function fieldErrors(problem: Problem | undefined, sent: SheetForm | undefined, t: ReturnType<typeof useT>): Record<string, string> {
  const out: Record<string, string> = {};
  if (!problem || !sent) return out;
  for (const issue of problem.errors ?? []) {
    const ref = fieldOfPointer(issue.pointer, sent);
    if (!ref) continue;
    const key = ref.field === 'medications' ? `medications.${ref.row}.${ref.part ?? 'name'}` : ref.field;
    const incomplete = problem.code === 'records.incomplete' && ref.field !== 'medications';
    out[key] ??= incomplete ? t(`records.incomplete.${ref.field}` as MessageKey) : t('records.field.invalid');
  }
  return out;
}

/**
 * `/requests/:requestId/sheet`: the providing specialist writes the document that closes the service —
 * the ambulatory sheet for a patient's request, the written consultation for a specialist's (the server
 * decides; R-TM-40) — reviews it, signs it, and sees it verified and recorded in the NHIS. Drafts save
 * with `If-Match` (Ctrl+S / ⌘S, and automatically after a pause); a conflicting save keeps the text on
 * the page and asks which version to keep.
 */
export function SheetEditorPage() {
  const t = useT();
  const api = useApi();
  const fmt = useFormatDateTime();
  const { language } = useLanguage();
  const { requestId = '' } = useParams();
  const ids = useId();

  const [kind, setKind] = useState<ClosingKind>();
  const [detail, setDetail] = useState<RequestWithAppointment>();
  const [deadline, setDeadline] = useState<{ value: Deadline; fetchedAt: number }>();
  const [templates, setTemplates] = useState<SheetTemplate[]>([]);
  const [templateId, setTemplateId] = useState('');
  const [templateNote, setTemplateNote] = useState('');
  const [doc, setDoc] = useState<ClinicalDocument>();
  const [form, setForm] = useState<SheetForm>();
  const [mode, setMode] = useState<Mode>('edit');
  const [loadProblem, setLoadProblem] = useState<Problem>();
  const [problem, setProblem] = useState<{ problem: Problem; sent?: SheetForm }>();
  const [conflict, setConflict] = useState(false);
  const [changeSeq, setChangeSeq] = useState(0);
  const [savedSeq, setSavedSeq] = useState(0);
  const [saveState, setSaveState] = useState<'idle' | 'saving' | 'saved' | 'failed'>('idle');
  const [busy, setBusy] = useState(false);
  const [focusError, setFocusError] = useState(false);

  // The newest values for handlers that outlive a render (autosave timer, Ctrl+S, a late search answer).
  const docRef = useRef<ClinicalDocument | undefined>(undefined);
  const formRef = useRef<SheetForm | undefined>(undefined);
  const changeRef = useRef(0);
  const savedRef = useRef(0);
  const inFlight = useRef<Promise<ClinicalDocument | undefined> | null>(null);
  const diagnosisInput = useRef<HTMLInputElement>(null);
  const reviewHeading = useRef<HTMLHeadingElement>(null);
  const signedHeading = useRef<HTMLHeadingElement>(null);

  const title = kind ? t(`records.kind.${kind}`) : t('records.editor.title');
  useDocumentTitle(title);

  const showDraft = useCallback((d: ClinicalDocument) => {
    docRef.current = d;
    setDoc(d);
    const f = formFromBody(d.body);
    formRef.current = f;
    setForm(f);
    savedRef.current = changeRef.current;
    setSavedSeq(changeRef.current);
    setConflict(false);
    setProblem(undefined);
    setSaveState('idle');
    setMode('edit');
  }, []);

  const showSigned = useCallback((d: ClinicalDocument) => {
    docRef.current = d;
    setDoc(d);
    setMode('signed');
  }, []);

  const loadDeadline = useCallback(async () => {
    try {
      setDeadline({ value: await api.records.deadline(requestId), fetchedAt: Date.now() });
    } catch (e) {
      // Before completion there is no deadline yet (404); anything else is shown.
      const p = problemFromError(e);
      if (p.code !== 'resource.not_found') throw e;
      setDeadline(undefined);
    }
  }, [api, requestId]);

  const load = useCallback(async () => {
    setLoadProblem(undefined);
    try {
      // The service's names and specialty come from the specialist's requests worklist (no clinical
      // content, so no audited read of the patient's form just to label the page).
      const [dl, det] = await Promise.allSettled([api.records.deadline(requestId), api.requests.worklist()]);
      const requestDetail = det.status === 'fulfilled' ? [...det.value.emergencies, ...det.value.planned].find((i) => i.request.id === requestId) : undefined;
      let k: ClosingKind;
      if (dl.status === 'fulfilled') {
        setDeadline({ value: dl.value, fetchedAt: Date.now() });
        k = dl.value.documentKind;
      } else if (problemFromError(dl.reason).code !== 'resource.not_found' || !requestDetail) {
        // Not completed yet and not on the specialist's worklist either: show why.
        throw det.status === 'rejected' ? det.reason : dl.reason;
      } else k = closingKindOf(requestDetail.request.requester.kind);
      setDetail(requestDetail);
      setKind(k);
      const mine = (await api.records.listForRequest(requestId)).filter((d) => d.kind === k);
      const draft = mine.find((d) => d.status === 'draft');
      const current = mine.filter((d) => d.status === 'signed' && !d.replacedById).sort((a, b) => b.revision - a.revision)[0];
      if (draft) showDraft(draft);
      else if (current) showSigned(current);
      else showDraft(await api.records.createDraft(requestId, k));
      api.records.templates(requestDetail?.request.provider.specialtyCode).then(
        (list) => {
          setTemplates(list);
          const own = list.find((x) => x.specialtyCode === requestDetail?.request.provider.specialtyCode) ?? list[0];
          setTemplateId(own?.id ?? '');
        },
        () => setTemplates([]),
      );
    } catch (e) {
      setLoadProblem(problemFromError(e));
    }
  }, [api, requestId, showDraft, showSigned]);

  useEffect(() => {
    void load();
  }, [load]);

  /** Every edit goes through here, so the refs always hold what is on the screen. */
  const update = useCallback((fn: (f: SheetForm) => SheetForm) => {
    const current = formRef.current;
    if (!current) return;
    const next = fn(current);
    formRef.current = next;
    changeRef.current += 1;
    setForm(next);
    setChangeSeq(changeRef.current);
  }, []);

  /**
   * Saves the draft with the version last seen (If-Match). Never changes what is on the screen: on a
   * refusal the text stays and the problem is shown.
   * @param force - save even when nothing changed since the last save (conflict resolution)
   * @returns the saved draft, or undefined when the save was refused
   */
  const save = useCallback(
    async (force = false): Promise<ClinicalDocument | undefined> => {
      if (inFlight.current) await inFlight.current;
      const d = docRef.current;
      const sent = formRef.current;
      if (!d || !sent || d.status !== 'draft') return d;
      if (!force && savedRef.current === changeRef.current) return d;
      const seq = changeRef.current;
      setSaveState('saving');
      const attempt = (async () => {
        try {
          const saved = await api.records.saveDraft(d.id, d.version, bodyFromForm(sent));
          docRef.current = saved;
          setDoc(saved);
          savedRef.current = seq;
          setSavedSeq(seq);
          setSaveState('saved');
          setProblem(undefined);
          return saved;
        } catch (e) {
          const p = problemFromError(e);
          // Concurrency: someone (another tab, another device) saved first; nothing is overwritten silently.
          if (p.code === 'resource.version_mismatch') setConflict(true);
          else setProblem({ problem: p, sent });
          setSaveState('failed');
          return undefined;
        } finally {
          inFlight.current = null;
        }
      })();
      inFlight.current = attempt;
      return attempt;
    },
    [api],
  );

  // Autosave after a pause in typing; never while a conflict waits for the specialist's choice.
  useEffect(() => {
    if (mode !== 'edit' || conflict || changeSeq === savedRef.current) return;
    const timer = window.setTimeout(() => void save(), AUTOSAVE_MS);
    return () => window.clearTimeout(timer);
  }, [changeSeq, mode, conflict, save]);

  // Ctrl+S / ⌘S saves the draft from anywhere on the page. Tricky: with a Cyrillic layout `key` is
  // "с", so the physical key (`code`) is checked too.
  useEffect(() => {
    if (mode !== 'edit') return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.code === 'KeyS' || e.key.toLowerCase() === 's')) {
        e.preventDefault();
        void save(true);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [mode, save]);

  // Leaving with unsaved text asks first.
  const dirty = mode === 'edit' && changeSeq !== savedSeq;
  useEffect(() => {
    if (!dirty) return;
    const onUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [dirty]);

  const errors = fieldErrors(problem?.problem, problem?.sent, t);

  // After a refused signature, the first field to fix gets the focus.
  useEffect(() => {
    if (!focusError || mode !== 'edit') return;
    setFocusError(false);
    const first = Object.keys(errors)[0];
    if (!first) return;
    if (first === 'diagnoses') diagnosisInput.current?.focus();
    else document.getElementById(`${ids}-${first.replace(/\./g, '-')}`)?.focus();
  }, [focusError, mode, errors, ids]);

  useEffect(() => {
    if (mode === 'review') reviewHeading.current?.focus();
    if (mode === 'signed') signedHeading.current?.focus();
  }, [mode]);

  // Once the NHIS acknowledges, the deadline is recorded as met (or missed): read it again.
  const nhisStatus = doc?.nhis?.status;
  useEffect(() => {
    if (nhisStatus === 'acknowledged') loadDeadline().catch((e: unknown) => setLoadProblem(problemFromError(e)));
  }, [nhisStatus, loadDeadline]);

  async function resolveConflict(keep: 'mine' | 'theirs') {
    const d = docRef.current;
    if (!d) return;
    setBusy(true);
    try {
      const fresh = await api.records.get(d.id);
      if (fresh.status === 'signed') {
        setConflict(false);
        showSigned(fresh);
        return;
      }
      docRef.current = fresh;
      setDoc(fresh);
      setConflict(false);
      if (keep === 'mine') await save(true);
      else showDraft(fresh);
    } catch (e) {
      setProblem({ problem: problemFromError(e) });
    } finally {
      setBusy(false);
    }
  }

  async function toReview() {
    setBusy(true);
    try {
      const saved = await save();
      if (saved) setMode('review');
    } finally {
      setBusy(false);
    }
  }

  async function sign() {
    const d = docRef.current;
    if (!d) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const signed = await api.records.sign(d.id, d.version);
      showSigned(signed);
      await loadDeadline().catch(() => undefined);
    } catch (e) {
      const p = problemFromError(e);
      if (p.code === 'resource.version_mismatch') {
        setConflict(true);
        setMode('edit');
      } else if (p.code === 'records.incomplete' || p.code === 'request.invalid') {
        setProblem({ problem: p, sent: formRef.current });
        setMode('edit');
        setFocusError(true);
      } else setProblem({ problem: p });
    } finally {
      setBusy(false);
    }
  }

  async function discardCorrection() {
    const d = docRef.current;
    if (!d || !window.confirm(t('records.correction.discardConfirm'))) return;
    try {
      await api.records.discardDraft(d.id, d.version);
      await load();
    } catch (e) {
      setProblem({ problem: problemFromError(e) });
    }
  }

  function applySelectedTemplate() {
    const tpl = templates.find((x) => x.id === templateId);
    const current = formRef.current;
    if (!tpl || !current) return;
    const result = applyTemplate(current, tpl);
    if (result.filled.length > 0) update(() => result.form);
    setTemplateNote(t('records.template.applied', { filled: result.filled.length, kept: result.kept.length }));
  }

  const textArea = (field: TextField, rows = 4) => {
    if (!form || !kind) return null;
    const id = `${ids}-${field}`;
    const err = errors[field];
    return (
      <div className="records-field">
        <label htmlFor={id}>{t(textFieldLabel(field, kind))}</label>
        <textarea
          id={id}
          rows={rows}
          value={form.text[field]}
          onChange={(e) => {
            const value = e.target.value;
            update((f) => ({ ...f, text: { ...f.text, [field]: value } }));
          }}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `${id}-error` : undefined}
        />
        {err ? (
          <p id={`${id}-error`} className="field-error">
            {err}
          </p>
        ) : null}
      </div>
    );
  };

  const request = detail?.request;
  const shownProblem = problem?.problem;
  return (
    <div className="page records-editor">
      <p className="records-back">
        <Link to="/records/worklist">{t('records.editor.back')}</Link>
      </p>
      <h1>
        {title}
        {doc && doc.revision > 1 ? <span className="records-revision"> · {t('records.editor.revision', { revision: doc.revision })}</span> : null}
      </h1>
      {request ? (
        <p className="lead">
          {[request.provider.serviceName, request.provider.specialtyName, request.provider.facilityName].filter(Boolean).join(' · ')}
        </p>
      ) : null}
      {deadline ? <DeadlineSummary deadline={deadline.value} fetchedAt={deadline.fetchedAt} /> : kind ? <p className="records-hint">{t('records.editor.notCompleted')}</p> : null}
      {loadProblem ? <ProblemAlert problem={loadProblem} /> : null}
      {!doc && !loadProblem ? <p aria-live="polite">{t('records.loading')}</p> : null}

      {mode === 'edit' && doc && form && kind ? (
        <form className="records-form" onSubmit={(e) => e.preventDefault()} noValidate aria-label={title}>
          {doc.replacesId ? <p className="records-note">{t('records.correction.editing', { revision: doc.revision - 1 })}</p> : null}
          {shownProblem ? <ProblemAlert problem={shownProblem} /> : null}
          {conflict ? (
            <div className="records-conflict" role="alert" data-testid="conflict">
              <h2>{t('records.conflict.title')}</h2>
              <p>{t('records.conflict.body')}</p>
              <div className="records-actions">
                <button type="button" className="button" disabled={busy} onClick={() => void resolveConflict('mine')}>
                  {t('records.conflict.keepMine')}
                </button>
                <button type="button" className="records-secondary" disabled={busy} onClick={() => void resolveConflict('theirs')}>
                  {t('records.conflict.loadTheirs')}
                </button>
              </div>
            </div>
          ) : null}

          {templates.length > 0 ? (
            <div className="records-template">
              <div className="records-field">
                <label htmlFor={`${ids}-template`}>{t('records.template.label')}</label>
                <select id={`${ids}-template`} value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
                  {templates.map((x) => (
                    <option key={x.id} value={x.id}>
                      {x.name[language]}
                    </option>
                  ))}
                </select>
              </div>
              <button type="button" className="records-secondary" onClick={applySelectedTemplate}>
                {t('records.template.apply')}
              </button>
              <p className="records-hint" role="status">
                {templateNote}
              </p>
            </div>
          ) : null}

          <div className="records-field">
            <label htmlFor={`${ids}-purpose`}>{t('records.field.purpose')}</label>
            <select id={`${ids}-purpose`} value={form.purpose} onChange={(e) => update((f) => ({ ...f, purpose: PURPOSES.find((p) => p === e.target.value) ?? f.purpose }))}>
              {PURPOSES.map((p) => (
                <option key={p} value={p}>
                  {t(`records.purpose.${p}`)}
                </option>
              ))}
            </select>
          </div>
          {kind === 'consultation_report' ? textArea('question', 3) : null}
          {textArea('anamnesis', 5)}
          {textArea('objectiveFindings', 4)}
          <DiagnosesField value={form.diagnoses} onChange={(fn) => update((f) => ({ ...f, diagnoses: fn(f.diagnoses) }))} error={errors.diagnoses} inputRef={diagnosisInput} />
          {textArea('testsReviewed', 3)}
          {textArea('therapy', 3)}

          <fieldset className="records-medications">
            <legend>{t('records.field.medications')}</legend>
            {form.medications.map((m, i) => {
              const nameErr = errors[`medications.${i}.name`];
              const dosageErr = errors[`medications.${i}.dosage`];
              return (
                <div key={i} className="records-medication">
                  <div className="records-field">
                    <label htmlFor={`${ids}-medications-${i}-name`}>{t('records.medication.name', { n: i + 1 })}</label>
                    <input
                      id={`${ids}-medications-${i}-name`}
                      value={m.name}
                      onChange={(e) => {
                        const value = e.target.value;
                        update((f) => ({ ...f, medications: f.medications.map((x, k) => (k === i ? { ...x, name: value } : x)) }));
                      }}
                      aria-invalid={nameErr ? true : undefined}
                      aria-describedby={nameErr ? `${ids}-medications-${i}-name-error` : undefined}
                    />
                    {nameErr ? (
                      <p id={`${ids}-medications-${i}-name-error`} className="field-error">
                        {nameErr}
                      </p>
                    ) : null}
                  </div>
                  <div className="records-field">
                    <label htmlFor={`${ids}-medications-${i}-dosage`}>{t('records.medication.dosage', { n: i + 1 })}</label>
                    <input
                      id={`${ids}-medications-${i}-dosage`}
                      value={m.dosage}
                      onChange={(e) => {
                        const value = e.target.value;
                        update((f) => ({ ...f, medications: f.medications.map((x, k) => (k === i ? { ...x, dosage: value } : x)) }));
                      }}
                      aria-invalid={dosageErr ? true : undefined}
                    />
                    {dosageErr ? <p className="field-error">{dosageErr}</p> : null}
                  </div>
                  <button type="button" className="records-link-button" onClick={() => update((f) => ({ ...f, medications: f.medications.filter((_, k) => k !== i) }))}>
                    {t('records.medication.remove', { n: i + 1 })}
                  </button>
                </div>
              );
            })}
            <button
              type="button"
              className="records-secondary"
              onClick={() => {
                update((f) => ({ ...f, medications: [...f.medications, { name: '', dosage: '' }] }));
                // Fast entry: the new row's name field takes the focus once it is rendered.
                const next = form.medications.length;
                window.setTimeout(() => document.getElementById(`${ids}-medications-${next}-name`)?.focus(), 0);
              }}
            >
              {t('records.medication.add')}
            </button>
          </fieldset>

          {textArea('recommendations', 3)}
          {textArea('followUp', 2)}
          {textArea('summary', kind === 'consultation_report' ? 5 : 3)}

          <div className="records-actions records-actions--sticky">
            <button type="button" className="records-secondary" onClick={() => void save(true)} disabled={saveState === 'saving'} aria-keyshortcuts="Control+S Meta+S">
              {t('records.editor.save')}
            </button>
            <button type="button" className="button" onClick={() => void toReview()} disabled={busy || conflict}>
              {t('records.editor.review')}
            </button>
            {doc.replacesId ? (
              <button type="button" className="records-link-button" onClick={() => void discardCorrection()}>
                {t('records.correction.discard')}
              </button>
            ) : null}
            <span className="records-save-state" role="status" data-testid="save-state" data-state={dirty ? 'dirty' : saveState}>
              {saveState === 'saving'
                ? t('records.editor.saving')
                : dirty
                  ? t('records.editor.unsaved')
                  : saveState === 'saved'
                    ? t('records.editor.savedAt', { at: fmt(new Date(doc.updatedAt)) })
                    : ''}
            </span>
          </div>
          <p className="records-hint">{t('records.editor.keys')}</p>
        </form>
      ) : null}

      {mode === 'review' && doc && kind ? (
        <section className="records-review" aria-labelledby={`${ids}-review`}>
          <h2 id={`${ids}-review`} ref={reviewHeading} tabIndex={-1}>
            {t('records.review.title')}
          </h2>
          <p>{t('records.review.lead')}</p>
          {shownProblem ? <ProblemAlert problem={shownProblem} /> : null}
          <DocumentView doc={doc} body={doc.body} />
          <div className="records-actions">
            <button type="button" className="button" onClick={() => void sign()} disabled={busy}>
              {t('records.review.sign')}
            </button>
            <button type="button" className="records-secondary" onClick={() => setMode('edit')} disabled={busy}>
              {t('records.review.back')}
            </button>
          </div>
        </section>
      ) : null}

      {mode === 'signed' && doc ? (
        <section aria-labelledby={`${ids}-signed`}>
          <h2 id={`${ids}-signed`} ref={signedHeading} tabIndex={-1}>
            {t('records.signed.title', { revision: doc.revision })}
          </h2>
          <SignedDocument doc={doc} onChanged={showSigned} onCorrectionStarted={showDraft} />
        </section>
      ) : null}
    </div>
  );
}
