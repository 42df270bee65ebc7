import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Resource } from '../api/use-resource.js';
import { ProblemAlert } from '../api/problem-alert.js';
import { useT } from '../i18n/index.js';
import './ui.css';

/*
 * The shared components of every screen (docs/design-system.md). Native elements first (<dialog>,
 * <table>, <dl>): keyboard and screen-reader behaviour come with them.
 */

export type Tone = 'neutral' | 'ok' | 'warn' | 'danger' | 'info';

/** A short state in a pill ("Потвърдена", "Чака съгласие"); the colour repeats the words, never replaces them. */
export function Badge({ tone = 'neutral', children }: { tone?: Tone; children: ReactNode }) {
  return <span className={tone === 'neutral' ? 'ui-badge' : `ui-badge ui-badge--${tone}`}>{children}</span>;
}

/** A bordered surface with an optional heading. */
export function Card({ title, headingLevel = 2, children, className }: { title?: ReactNode; headingLevel?: 2 | 3; children: ReactNode; className?: string }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className={`ui-card${className ? ` ${className}` : ''}`}>
      {title ? <Heading>{title}</Heading> : null}
      {children}
    </section>
  );
}

/** Information that must be noticed (NHS "care card"): info, warning or danger. */
export function Callout({ tone = 'info', title, children }: { tone?: 'info' | 'warn' | 'danger'; title?: ReactNode; children: ReactNode }) {
  return (
    <div className={tone === 'info' ? 'ui-callout' : `ui-callout ui-callout--${tone}`} role={tone === 'danger' ? 'alert' : undefined}>
      {title ? <p><strong>{title}</strong></p> : null}
      {children}
    </div>
  );
}

/** The page's title, its one-line purpose, and the page's main actions beside them. */
export function PageHeader({ title, lead, actions }: { title: ReactNode; lead?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {lead ? <p>{lead}</p> : null}
      </div>
      {actions ? <div className="button-row">{actions}</div> : null}
    </div>
  );
}

/** An empty list: what it is and what to do next (every list has one). */
export function EmptyState({ title, children, action }: { title: ReactNode; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="ui-empty" data-testid="empty-state">
      <h2>{title}</h2>
      {children ? <p>{children}</p> : null}
      {action}
    </div>
  );
}

/** A placeholder while data loads: grey lines, announced once as "loading". */
export function Skeleton({ lines = 3, label }: { lines?: number; label?: string }) {
  const t = useT();
  return (
    <div className="ui-skeleton" role="status" aria-live="polite" data-testid="skeleton">
      <span className="visually-hidden">{label ?? t('ui.loading')}</span>
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="ui-skeleton__line" aria-hidden="true" />
      ))}
    </div>
  );
}

/**
 * Renders a `useResource` result: a skeleton while loading, the problem with a retry when it failed,
 * else `children(value)`.
 */
export function ResourceView<T>({ resource, lines, children }: { resource: Resource<T>; lines?: number; children: (value: T) => ReactNode }) {
  const t = useT();
  if (resource.state === 'loading') return <Skeleton lines={lines ?? 3} />;
  if (resource.state === 'problem') {
    return (
      <div className="stack">
        <ProblemAlert problem={resource.problem} />
        <button type="button" className="button button--secondary button--small" onClick={resource.reload}>
          {t('ui.retry')}
        </button>
      </div>
    );
  }
  return <>{children(resource.value)}</>;
}

/** Facts about one thing as a definition list (label: value). */
export function Facts({ items }: { items: { label: ReactNode; value: ReactNode; key?: string }[] }) {
  return (
    <dl className="ui-facts">
      {items.map((item, i) => (
        <div key={item.key ?? i} style={{ display: 'contents' }}>
          <dt>{item.label}</dt>
          <dd>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

export interface Column<T> {
  key: string;
  header: ReactNode;
  /** The header as text, shown beside the value when a phone stacks the row. */
  label: string;
  cell: (row: T) => ReactNode;
}

/** A scannable table; on phones each row stacks into a labelled card. */
export function DataTable<T>({ caption, columns, rows, rowKey, empty }: { caption: string; columns: Column<T>[]; rows: T[]; rowKey: (row: T) => string; empty?: ReactNode }) {
  if (rows.length === 0 && empty) return <>{empty}</>;
  return (
    <div className="ui-table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table className="ui-table ui-table--stack">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.key} data-label={c.label}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A destructive or legal action asks once, in words (native modal <dialog>: focus is trapped and
 * Escape closes it). `open` is controlled by the caller.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirm,
  onConfirm,
  onCancel,
  danger = false,
}: {
  open: boolean;
  title: ReactNode;
  children?: ReactNode;
  confirm: string;
  onConfirm: () => void;
  onCancel: () => void;
  danger?: boolean;
}) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // jsdom has no showModal: the dialog then simply stays open as a non-modal element.
    if (open && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    if (!open && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="ui-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <div className="ui-dialog__body">
        <h2 id={titleId}>{title}</h2>
        {children}
        <div className="ui-dialog__actions">
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {t('ui.cancel')}
          </button>
          <button type="button" className={danger ? 'button button--danger' : 'button'} onClick={onConfirm}>
            {confirm}
          </button>
        </div>
      </div>
    </dialog>
  );
}

interface Toast {
  id: number;
  text: string;
  tone: 'ok' | 'danger';
}

const ToastContext = createContext<((text: string, tone?: 'ok' | 'danger') => void) | null>(null);

/** Short confirmations after an action ("Часът е запазен"), announced politely, closed by the user or after 6 s. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const t = useT();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((x) => x.id !== id)), []);
  const show = useCallback(
    (text: string, tone: 'ok' | 'danger' = 'ok') => {
      const id = next.current++;
      setToasts((all) => [...all, { id, text, tone }]);
      window.setTimeout(() => dismiss(id), 6000);
    },
    [dismiss],
  );
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <ul className="ui-toasts" aria-live="polite">
        {toasts.map((toast) => (
          <li key={toast.id} className={toast.tone === 'ok' ? 'ui-toast' : 'ui-toast ui-toast--danger'}>
            <p>{toast.text}</p>
            <button type="button" className="link-button" onClick={() => dismiss(toast.id)}>
              {t('ui.close')}
            </button>
          </li>
        ))}
      </ul>
    </ToastContext.Provider>
  );
}

/** Shows a toast; outside a ToastProvider (unit tests of one page) it does nothing. */
export function useToast(): (text: string, tone?: 'ok' | 'danger') => void {
  return useContext(ToastContext) ?? noop;
}

const noop = () => undefined;
