import { useEffect, useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { useResource, valueOf } from '../../../api/use-resource.js';
import { Badge, Callout, Card, DataTable, EmptyState, Facts, PageHeader, ResourceView } from '../../../components/ui.js';
import { useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';
import type { BackupOverview, Readiness, RestoreCheckDocument } from '../api.js';
import { verifyRestoreCheck } from '../verify-report.js';

/** The server allows the platform operator and the supervisory agency (src/modules/backup/backup.service.ts). */
const ROLES = ['operator', 'supervisor'];

type Backup = BackupOverview['backups'][number];

/**
 * `/ops/backups`: what the operator shows an inspector (Art. 28(1) items 5-7, docs/operations.md): the
 * standby's lag, the last restore check with its signed report (verified here) and the last 30 backups
 * at each destination.
 */
export function BackupsPage() {
  const t = useT();
  useDocumentTitle(t('backups.title'));
  const { me } = useAuth();
  const allowed = me != null && ROLES.includes(me.role);
  const overview = useResource(allowed ? 'backups' : null, (api, signal) => api.ops.getBackups({ signal }));
  const readiness = useResource(allowed ? 'readiness' : null, (api, signal) => api.ops.getReadiness({ signal }));

  if (me === undefined) return <div className="page" aria-busy="true" />;
  return (
    <div className="page">
      <PageHeader title={t('backups.title')} lead={t('backups.lead')} />
      {!allowed ? (
        <Callout>{t('backups.gate')}</Callout>
      ) : (
        <div className="stack">
          <Card title={t('backups.standby.title')}>
            <ResourceView resource={readiness} lines={1}>
              {(r) => <Standby readiness={r} />}
            </ResourceView>
          </Card>
          <Card title={t('backups.check.title')}>
            <ResourceView resource={overview} lines={4}>
              {(o) => (o.restoreChecks[0] ? <LastCheck id={o.restoreChecks[0].id} /> : <p>{t('backups.check.none')}</p>)}
            </ResourceView>
          </Card>
          <Card title={t('backups.list.title')}>
            <ResourceView resource={overview} lines={6}>
              {(o) => <BackupList overview={o} />}
            </ResourceView>
          </Card>
        </div>
      )}
    </div>
  );
}

function Standby({ readiness }: { readiness: Readiness }) {
  const t = useT();
  const r = readiness.replication;
  if (!r) return <p>{t('backups.standby.unknown')}</p>;
  if (r.role === 'embedded') return <p>{t('backups.standby.embedded')}</p>;
  if (r.role === 'standby') return <p>{t('backups.standby.isStandby', { seconds: (r.replayDelaySeconds ?? 0).toFixed(1) })}</p>;
  if (r.standbys.length === 0) return <Callout tone="warn">{t('backups.standby.none')}</Callout>;
  return (
    <ul>
      {r.standbys.map((s) => (
        <li key={s.name} data-testid="standby">
          {t('backups.standby.row', { name: s.name, state: t(s.syncState === 'sync' ? 'backups.standby.sync' : 'backups.standby.async'), seconds: (s.replayLagSeconds ?? 0).toFixed(2), bytes: s.replayLagBytes ?? 0 })}
        </li>
      ))}
    </ul>
  );
}

function LastCheck({ id }: { id: string }) {
  const t = useT();
  const api = useApi();
  const formatDateTime = useFormatDateTime();
  const doc = useResource(`check:${id}`, (a, signal) => a.ops.getRestoreCheck(id, { signal }));
  const [verified, setVerified] = useState<boolean>();
  const value = valueOf(doc);
  useEffect(() => {
    if (!value) return undefined;
    let live = true;
    void verifyRestoreCheck(value).then((ok) => live && setVerified(ok));
    return () => {
      live = false;
    };
  }, [value]);
  return (
    <ResourceView resource={doc} lines={4}>
      {(d: RestoreCheckDocument) => {
        const r = d.report;
        return (
          <>
            <Facts
              items={[
                { key: 'result', label: t('backups.check.result'), value: <Badge tone={r.passed ? 'ok' : 'danger'}>{t(r.passed ? 'backups.check.passed' : 'backups.check.failed')}</Badge> },
                { key: 'when', label: t('backups.check.when'), value: formatDateTime(new Date(r.checkStartedAt)) },
                { key: 'backup', label: t('backups.check.backup'), value: r.backupStartedAt ? formatDateTime(new Date(r.backupStartedAt)) : '—' },
                { key: 'rows', label: t('backups.check.rows'), value: r.counts.rows.toLocaleString('bg-BG') },
                { key: 'chain', label: t('backups.check.chain'), value: r.chain.ok ? t('backups.check.chainOk', { events: r.chain.events }) : t('backups.check.chainBroken') },
                { key: 'sample', label: t('backups.check.sample'), value: t('backups.check.sampleValue', { opened: r.sample.opened, checked: r.sample.checked }) },
                {
                  key: 'signature',
                  label: t('backups.check.signature'),
                  value: (
                    <span data-testid="signature" role="status">
                      {verified === undefined ? t('backups.check.signatureChecking') : verified ? t('backups.check.signatureOk') : t('backups.check.signatureBad')}
                    </span>
                  ),
                },
              ]}
            />
            <a className="button button--secondary" href={api.ops.restoreCheckPdfUrl(id)} download>
              {t('backups.check.pdf')}
            </a>
          </>
        );
      }}
    </ResourceView>
  );
}

function BackupList({ overview }: { overview: BackupOverview }) {
  const t = useT();
  const formatDateTime = useFormatDateTime();
  const tone = { ok: 'ok', partial: 'warn', failed: 'danger' } as const;
  return (
    <>
      <p>{t('backups.destinations', { list: overview.destinations.join(', ') })}</p>
      <DataTable<Backup>
        caption={t('backups.list.title')}
        rows={overview.backups}
        rowKey={(b) => b.id}
        empty={<EmptyState title={t('backups.list.empty')} />}
        columns={[
          { key: 'when', header: t('backups.col.when'), label: t('backups.col.when'), cell: (b) => formatDateTime(new Date(b.startedAt)) },
          { key: 'status', header: t('backups.col.status'), label: t('backups.col.status'), cell: (b) => <Badge tone={tone[b.status]}>{t(`backups.status.${b.status}`)}</Badge> },
          { key: 'size', header: t('backups.col.size'), label: t('backups.col.size'), cell: (b) => (b.sizeBytes === null ? '—' : `${(b.sizeBytes / 1024 / 1024).toFixed(1)} MB`) },
          {
            key: 'destinations',
            header: t('backups.col.destinations'),
            label: t('backups.col.destinations'),
            cell: (b) => (
              <ul className="backups-destinations">
                {b.destinations.map((d) => (
                  <li key={d.location}>
                    {d.location}: {t(d.ok ? 'backups.destination.ok' : 'backups.destination.failed')}
                  </li>
                ))}
              </ul>
            ),
          },
        ]}
      />
    </>
  );
}
