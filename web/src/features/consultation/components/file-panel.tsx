import { useRef, useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useT } from '../../../i18n/index.js';
import { fileUrl, type ConsultationFile } from '../api.js';

const ACCEPT = 'image/jpeg,image/png,application/pdf,application/dicom,.dcm';

/** Files of a consultation: upload (the server checks the type from the bytes), view JPEG/PNG/PDF, download DICOM. */
export function FilePanel(props: { consultationId: string; files: ConsultationFile[]; disabled?: boolean; onUploaded(f: ConsultationFile): void }) {
  const t = useT();
  const api = useApi();
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const [viewing, setViewing] = useState<ConsultationFile>();

  async function upload(list: FileList | null) {
    const file = list?.[0];
    if (!file) return;
    setBusy(true);
    setProblem(undefined);
    try {
      props.onUploaded(await api.consultation.uploadFile(props.consultationId, file, file.name));
      if (input.current) input.current.value = '';
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setBusy(false);
    }
  }

  const kb = (n: number) => `${Math.max(1, Math.round(n / 1024))} KB`;
  return (
    <section className="consultation-panel file-panel" aria-labelledby="file-panel-title">
      <h2 id="file-panel-title">{t('consultation.files.title')}</h2>
      <ul className="file-panel__list" data-testid="file-list">
        {props.files.length === 0 ? <li>{t('consultation.files.empty')}</li> : null}
        {props.files.map((f) => (
          <li key={f.id}>
            <span className="file-panel__name">{f.name}</span> <span className="file-panel__meta">({f.contentType.split('/')[1]?.toUpperCase()}, {kb(f.sizeBytes)})</span>{' '}
            {f.contentType === 'application/dicom' ? (
              <a href={fileUrl(props.consultationId, f.id)} download={f.name}>
                {t('consultation.files.download')}
              </a>
            ) : (
              <button type="button" className="link-button" onClick={() => setViewing(viewing?.id === f.id ? undefined : f)} aria-expanded={viewing?.id === f.id}>
                {viewing?.id === f.id ? t('consultation.files.hide') : t('consultation.files.view')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {viewing ? (
        <figure className="file-panel__viewer">
          {viewing.contentType === 'application/pdf' ? (
            <iframe title={viewing.name} src={fileUrl(props.consultationId, viewing.id)} />
          ) : (
            <img src={fileUrl(props.consultationId, viewing.id)} alt={viewing.name} />
          )}
          <figcaption>
            <a href={fileUrl(props.consultationId, viewing.id)} download={viewing.name}>
              {t('consultation.files.download')}
            </a>
          </figcaption>
        </figure>
      ) : null}
      {problem ? <ProblemAlert problem={problem} /> : null}
      {props.disabled ? null : (
        <div className="field">
          <label htmlFor="file-upload">{t('consultation.files.upload')}</label>
          <input id="file-upload" ref={input} type="file" accept={ACCEPT} disabled={busy} onChange={(e) => void upload(e.target.files)} />
          <p className="hint">{t('consultation.files.hint')}</p>
        </div>
      )}
    </section>
  );
}
