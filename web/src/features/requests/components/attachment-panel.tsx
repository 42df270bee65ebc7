import { useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { locales, useFormatDateTime, useLanguage, useT, type Language } from '../../../i18n/index.js';
import { attachmentUrl, type AttachmentMeta } from '../api.js';
import { ATTACHMENT_ACCEPT, ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPE_LABELS, ATTACHMENT_TYPES, checkAttachment, readBase64, type AttachmentType } from '../attachment-check.js';

/**
 * A byte count for people: "850 KB", "4,2 MB" (in the interface language's number format).
 * @param up - round up, so a file just over a limit never reads as equal to it
 */
export function formatSize(bytes: number, language: Language, up = false): string {
  const n = (v: number, digits: number) => {
    const f = 10 ** digits;
    return new Intl.NumberFormat(locales[language], { maximumFractionDigits: digits }).format(up ? Math.ceil(v * f) / f : v);
  };
  if (bytes < 1024) return `${n(bytes, 0)} B`;
  if (bytes < 1024 * 1024) return `${n(bytes / 1024, 0)} KB`;
  return `${n(bytes / (1024 * 1024), 1)} MB`;
}

/** The contract's limit on a name (1-200 characters); a longer one keeps its extension. */
function fitName(name: string): string {
  const trimmed = name.trim() || 'file';
  if (trimmed.length <= 200) return trimmed;
  const ext = /\.[a-z0-9]{1,8}$/i.exec(trimmed)?.[0] ?? '';
  return trimmed.slice(0, 200 - ext.length) + ext;
}

const TYPES_TEXT = ATTACHMENT_TYPES.map((x) => ATTACHMENT_TYPE_LABELS[x]).join(', ');

export interface AttachmentPanelProps {
  requestId: string;
  attachments: AttachmentMeta[];
  /** Whether new files may be attached (the request is neither over nor cancelled). */
  canUpload: boolean;
  onUploaded(meta: AttachmentMeta): void;
}

/**
 * A request's documents and images: the list with downloads (each read is audited on the server), and
 * an upload whose limits are stated before choosing a file. The file is checked in the browser first
 * (empty, size, type from its bytes) so a wrong file is refused at once; the server checks again.
 */
export function AttachmentPanel({ requestId, attachments, canUpload, onUploaded }: AttachmentPanelProps) {
  const t = useT();
  const { language } = useLanguage();
  const fmt = useFormatDateTime();
  const api = useApi();
  const ids = useId();
  const input = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<{ file: File; contentType: AttachmentType }>();
  const [error, setError] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  const [progress, setProgress] = useState<number>();
  const [notice, setNotice] = useState<string>();
  const max = formatSize(ATTACHMENT_MAX_BYTES, language);

  async function choose(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    setChosen(undefined);
    setError(undefined);
    setProblem(undefined);
    setNotice(undefined);
    if (!file) return;
    const name = file.name;
    try {
      const check = await checkAttachment(file);
      if (check.ok) {
        setChosen({ file, contentType: check.contentType });
        return;
      }
      switch (check.reason) {
        case 'empty':
          setError(t('requests.detail.attachments.error.empty', { name }));
          break;
        case 'too_large':
          setError(t('requests.detail.attachments.error.too_large', { name, size: formatSize(file.size, language, true), max }));
          break;
        case 'type_not_allowed':
          setError(t('requests.detail.attachments.error.type_not_allowed', { name, types: TYPES_TEXT }));
          break;
        case 'type_mismatch':
          setError(t('requests.detail.attachments.error.type_mismatch', { name }));
          break;
      }
    } catch {
      setError(t('requests.detail.attachments.error.read', { name }));
    }
  }

  async function upload(e: FormEvent) {
    e.preventDefault();
    if (!chosen || progress !== undefined) return;
    const { file, contentType } = chosen;
    const name = fitName(file.name);
    setProblem(undefined);
    setNotice(undefined);
    setProgress(0);
    try {
      const dataBase64 = await readBase64(file);
      const meta = await api.requests.uploadAttachment(requestId, { name, contentType, dataBase64 }, (sent) => setProgress(sent));
      onUploaded(meta);
      setNotice(t('requests.detail.attachments.done', { name: meta.name }));
      setChosen(undefined);
      if (input.current) input.current.value = '';
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setProgress(undefined);
    }
  }

  const percent = progress === undefined ? 0 : Math.round(progress * 100);
  return (
    <section className="request-section" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('requests.detail.attachments.title')}</h2>
      {attachments.length === 0 ? <p>{t('requests.detail.attachments.empty')}</p> : null}
      <ul className="attachment-list" data-testid="attachment-list">
        {attachments.map((a) => (
          <li key={a.id} data-attachment-id={a.id}>
            <span className="attachment-list__name">{a.name}</span>{' '}
            <span className="attachment-list__meta">
              (
              {t('requests.detail.attachments.meta', {
                type: (ATTACHMENT_TYPE_LABELS as Record<string, string>)[a.contentType] ?? a.contentType,
                size: formatSize(a.sizeBytes, language),
                time: fmt(new Date(a.createdAt)),
              })}
              )
            </span>{' '}
            <a href={attachmentUrl(requestId, a.id)} download={a.name} aria-label={t('requests.detail.attachments.downloadLabel', { name: a.name })}>
              {t('requests.detail.attachments.download')}
            </a>
          </li>
        ))}
      </ul>
      {notice ? <p role="status">{notice}</p> : null}
      {canUpload ? (
        <form className="booking-form" onSubmit={(e) => void upload(e)}>
          <label htmlFor={`${ids}-file`}>{t('requests.detail.attachments.choose')}</label>
          <p id={`${ids}-limits`} className="request-hint">
            {t('requests.detail.attachments.limits', { types: TYPES_TEXT, max })}
          </p>
          <input
            id={`${ids}-file`}
            ref={input}
            type="file"
            accept={ATTACHMENT_ACCEPT}
            disabled={progress !== undefined}
            aria-describedby={`${ids}-limits${error ? ` ${ids}-error` : ''}`}
            aria-invalid={error !== undefined}
            onChange={(e) => void choose(e)}
          />
          {error ? (
            <p id={`${ids}-error`} role="alert" className="request-field-error">
              {error}
            </p>
          ) : null}
          {problem ? <ProblemAlert problem={problem} /> : null}
          {progress !== undefined && chosen ? (
            <div className="attachment-progress">
              <progress max={100} value={percent} aria-label={t('requests.detail.attachments.progress')} />
              <span>{t('requests.detail.attachments.uploading', { name: chosen.file.name, percent })}</span>
            </div>
          ) : null}
          <div className="request-actions">
            <button type="submit" disabled={!chosen || progress !== undefined}>
              {t('requests.detail.attachments.upload')}
            </button>
          </div>
        </form>
      ) : (
        <p className="request-hint">{t('requests.detail.attachments.closed')}</p>
      )}
    </section>
  );
}
