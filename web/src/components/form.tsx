import { useId, useState, type ReactNode } from 'react';
import type { ZodType } from 'zod';
import { UNSAFE_TEXT_DETAIL, unsafeTextPointers } from '../../../src/contracts/text.js';
import { ProblemAlert } from '../api/problem-alert.js';
import { problemFromError, type Problem } from '../api/problem.js';
import { isMessageKey, useT, type Translate } from '../i18n/index.js';
import './form.css';

/*
 * The form parts every feature shares: a labelled field with its hint and server error, the buttons, the
 * refusal (with what the rule means) and the notice after a change; `useFormSubmit` checks a body against
 * the zod contract before sending it (STYLE C3).
 */

/** The props a labelled control needs: its id, and the error and hint it is described by. */
export interface ControlProps {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

const RULE_ID = /^R-TM-\d+$/;

/** The rule id a refusal cites (`meta.rule` of `rule.violated`), if any. */
export function ruleOf(problem: Problem | undefined): string | undefined {
  const rule = problem?.code === 'rule.violated' ? problem.meta?.['rule'] : undefined;
  return typeof rule === 'string' ? rule : undefined;
}

/** What a rule means for the user, in the interface language; unknown rules are named by id. */
export function ruleText(t: Translate, rule: string): string {
  const key = `registryAdmin.rule.${rule}`;
  return isMessageKey(key) ? t(key) : t('registryAdmin.rule.other', { rule });
}

/** Field issues at a JSON pointer or below it (`#/rules` also takes `#/rules/1/end`). */
export function issuesAt(problem: Problem | undefined, pointer: string): string[] {
  return (problem?.errors ?? []).filter((e) => e.pointer === pointer || e.pointer.startsWith(`${pointer}/`)).map((e) => e.detail);
}

/**
 * Checks a request body against the same zod contract the server uses (STYLE C19) and reports the
 * failures in the server's problem shape, so one display serves both.
 * @param schema - the contract's input schema
 * @param value - the body about to be sent
 * @returns a `request.invalid` problem with field pointers, or undefined when the body is valid
 */
export function clientProblem(schema: ZodType, value: unknown): Problem | undefined {
  const unsafe = unsafeTextPointers(value);
  if (unsafe.length > 0) {
    return { type: 'about:blank', title: 'Request is invalid', status: 400, code: 'request.invalid', errors: unsafe.map((pointer) => ({ in: 'body' as const, pointer, detail: UNSAFE_TEXT_DETAIL })) };
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return undefined;
  return {
    type: 'about:blank',
    title: 'Request is invalid',
    status: 400,
    code: 'request.invalid',
    errors: parsed.error.issues.map((issue) => ({ in: 'body' as const, pointer: `#/${issue.path.map(String).join('/')}`, detail: issue.message })),
  };
}

/**
 * The problem and the busy state of a form sent under a contract. `send(schema, body, request)` shows the
 * client's problem and sends nothing when the body fails the contract; otherwise it awaits `request` (busy
 * meanwhile) and shows the server's problem if that fails.
 */
export function useFormSubmit() {
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  async function send(schema: ZodType, body: unknown, request: () => Promise<void>): Promise<void> {
    const invalid = clientProblem(schema, body);
    setProblem(invalid);
    if (invalid) return;
    setBusy(true);
    try {
      await request();
    } catch (error) {
      setProblem(problemFromError(error));
    } finally {
      setBusy(false);
    }
  }
  return { problem, setProblem, busy, send };
}

/** A form's buttons: submit (marked while busy) and, for a form that can be closed, cancel. */
export function FormActions({ submit, busy = false, onCancel, cancel }: { submit: string; busy?: boolean; onCancel?: (() => void) | undefined; cancel?: string }) {
  const t = useT();
  return (
    <div className="ra-actions">
      <button type="submit" className="button" aria-disabled={busy ? 'true' : undefined}>
        {submit}
      </button>
      {onCancel ? (
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {cancel ?? t('registryAdmin.common.cancel')}
        </button>
      ) : null}
    </div>
  );
}

/** A labelled form field: the label, the control, an optional hint, and the server's error for it. */
export function Field({
  label,
  pointer,
  problem,
  hint,
  className,
  children,
}: {
  label: string;
  /** JSON pointer of the value in the request body, e.g. `#/kindCode`. */
  pointer?: string;
  problem?: Problem | undefined;
  hint?: string | undefined;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const t = useT();
  const id = useId();
  const issues = pointer ? issuesAt(problem, pointer) : [];
  const described = [hint ? `${id}-hint` : '', issues.length > 0 ? `${id}-error` : ''].filter(Boolean).join(' ');
  const control: ControlProps = { id };
  if (issues.length > 0) control['aria-invalid'] = true;
  if (described) control['aria-describedby'] = described;
  return (
    <div className={`ra-field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(control)}
      {hint ? (
        <p id={`${id}-hint`} className="ra-field__hint">
          {hint}
        </p>
      ) : null}
      {issues.length > 0 ? (
        <p id={`${id}-error`} className="ra-field__error">
          {issues.map((detail) => issueText(t, detail)).join(' ')}
        </p>
      ) : null}
    </div>
  );
}

/** A field issue as text: a rule id becomes the rule's meaning; other details follow a generic prompt. */
export function issueText(t: Translate, detail: string): string {
  // Words, not codes: the rule's meaning, never its id (docs/design-system.md).
  if (RULE_ID.test(detail)) return ruleText(t, detail);
  return `${t('registryAdmin.form.invalid')} ${t('registryAdmin.form.detail', { detail })}`;
}

/**
 * A failed call, shown beside the form that made it: the problem alert, and for a refusal under a rule
 * what the rule means (R-TM-02, 13, 16, 17, 21 …) so the administrator knows what to change.
 */
export function FormProblem({ problem, children }: { problem: Problem | undefined; children?: ReactNode }) {
  const t = useT();
  if (!problem) return null;
  const rule = ruleOf(problem);
  return (
    <div className="ra-problem">
      <ProblemAlert problem={problem} />
      {rule ? (
        <p className="ra-rule" role="alert" data-rule={rule}>
          {ruleText(t, rule)}
        </p>
      ) : null}
      {children}
    </div>
  );
}

/** A short confirmation after a change, announced politely. */
export function Notice({ text }: { text: string | undefined }) {
  return (
    <p className="ra-notice" role="status">
      {text ?? ''}
    </p>
  );
}
