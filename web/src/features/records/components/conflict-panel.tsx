import { useT } from '../../../i18n/index.js';

/** Someone else saved the draft first: nothing is overwritten until the specialist chooses. */
export function ConflictPanel({ busy, onResolve }: { busy: boolean; onResolve: (keep: 'mine' | 'theirs') => void }) {
  const t = useT();
  return (
    <div className="records-conflict" role="alert" data-testid="conflict">
      <h2>{t('records.conflict.title')}</h2>
      <p>{t('records.conflict.body')}</p>
      <div className="records-actions">
        <button type="button" className="button" disabled={busy} onClick={() => onResolve('mine')}>
          {t('records.conflict.keepMine')}
        </button>
        <button type="button" className="records-secondary" disabled={busy} onClick={() => onResolve('theirs')}>
          {t('records.conflict.loadTheirs')}
        </button>
      </div>
    </div>
  );
}
