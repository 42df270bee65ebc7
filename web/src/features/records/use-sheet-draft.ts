import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { problemFromError, type Problem } from '../../api/problem.js';
import { useT } from '../../i18n/index.js';
import type { RequestWithAppointment } from '../requests/api.js';
import type { ClinicalDocument, ClosingKind, Deadline } from './api.js';
import { closingKindOf, fieldErrors } from './sheet-errors.js';
import { bodyFromForm, formFromBody, type SheetForm } from './sheet-form.js';
import { useDraftKeeping, useLeaveWarning, type SheetMode } from './use-draft-keeping.js';
import type { CardNhisOutcome } from './nhis-card.js';

export { AUTOSAVE_MS, type SheetMode } from './use-draft-keeping.js';
export type SaveState = 'idle' | 'saving' | 'saved' | 'failed';

/**
 * The draft of the document that closes a service, from load to signature: which kind it is (R-TM-40),
 * the deadline, the draft and the form on the screen, saving with `If-Match` (after a pause in typing,
 * and on Ctrl+S / ⌘S), a conflicting save kept on the screen until the specialist chooses, the review
 * step and the signature. The views render what it holds and call its actions.
 * @param requestId - the service request the document closes
 */
export function useSheetDraft(requestId: string) {
  const t = useT();
  const api = useApi();

  const [kind, setKind] = useState<ClosingKind>();
  const [detail, setDetail] = useState<RequestWithAppointment>();
  const [deadline, setDeadline] = useState<{ value: Deadline; fetchedAt: number }>();
  const [doc, setDoc] = useState<ClinicalDocument>();
  const [form, setForm] = useState<SheetForm>();
  const [mode, setMode] = useState<SheetMode>('edit');
  const [loaded, setLoaded] = useState(false);
  const [loadProblem, setLoadProblem] = useState<Problem>();
  // How the card's NHIS messages went for the record just signed with it (docs/nhis.md#signer).
  const [cardNhis, setCardNhis] = useState<CardNhisOutcome>();
  const [problem, setProblem] = useState<{ problem: Problem; sent?: SheetForm }>();
  const [conflict, setConflict] = useState(false);
  const [changeSeq, setChangeSeq] = useState(0);
  const [savedSeq, setSavedSeq] = useState(0);
  const [saveState, setSaveState] = useState<SaveState>('idle');
  const [busy, setBusy] = useState(false);
  const [focusError, setFocusError] = useState(false);

  // The newest values for handlers that outlive a render (autosave timer, Ctrl+S, a late answer).
  const docRef = useRef<ClinicalDocument | undefined>(undefined);
  const formRef = useRef<SheetForm | undefined>(undefined);
  const changeRef = useRef(0);
  const savedRef = useRef(0);
  const inFlight = useRef<Promise<ClinicalDocument | undefined> | null>(null);

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
      setLoaded(true);
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

  useDraftKeeping({ mode, conflict, changeSeq, savedRef, save });
  const dirty = mode === 'edit' && changeSeq !== savedSeq;
  useLeaveWarning(dirty);

  // Once the NHIS acknowledges, the deadline is recorded as met (or missed): read it again.
  const nhisStatus = doc?.nhis?.status;
  useEffect(() => {
    if (nhisStatus === 'acknowledged') loadDeadline().catch((e: unknown) => setLoadProblem(problemFromError(e)));
  }, [nhisStatus, loadDeadline]);

  /** After a conflict: keep the text on the screen (saved over theirs) or load theirs. */
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

  /** Signs with the advanced key held by Distansia, confirmed by a fresh code. */
  const sign = (code: string) => signWith((d) => api.records.sign(d.id, d.version, code.replace(/\s/g, '')));

  /** Signs the reviewed version another way (the doctor's card through the local agent); same refusals. */
  async function signWith(signer: (d: ClinicalDocument) => Promise<ClinicalDocument>) {
    const d = docRef.current;
    if (!d) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const signedDoc = await signer(d);
      showSigned(signedDoc);
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

  return {
    kind,
    detail,
    deadline,
    doc,
    form,
    mode,
    loaded,
    loadProblem,
    /** The refusal to show, and the field errors it carries for the form that was sent. */
    problem: problem?.problem,
    errors: fieldErrors(problem?.problem, problem?.sent, t),
    conflict,
    saveState,
    busy,
    dirty,
    /** True once after a refused signature: the edit view moves the focus to the first field to fix. */
    focusError,
    errorFocused: () => setFocusError(false),
    backToEdit: () => setMode('edit'),
    update,
    save,
    resolveConflict,
    toReview,
    sign,
    signWith,
    discardCorrection,
    showDraft,
    showSigned,
    cardNhis,
    setCardNhis,
  };
}

export type SheetDraft = ReturnType<typeof useSheetDraft>;
