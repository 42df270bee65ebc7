import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { useResource } from '../../../api/use-resource.js';
import { Badge, DataTable, EmptyState, PageHeader, ResourceView, type Column } from '../../../components/ui.js';
import { useDocumentTitle, useLanguage, useT, locales, type MessageKey } from '../../../i18n/index.js';
import type { IssuedDocument } from '../api.js';
import { formatDay } from '../format.js';
import { CancelDocumentDialog } from '../components/cancel-document-dialog.js';
import '../referrals.css';

const TONE = { issued: 'ok', pending: 'info', rejected: 'danger', used: 'neutral', dispensed: 'neutral', cancelled: 'neutral', cancelling: 'warn', superseded: 'neutral' } as const;

/** `/referrals/issued`: the doctor's own referrals and prescriptions, newest first, with their НРН and PDF. */
export function IssuedDocumentsPage() {
  const t = useT();
  const api = useApi();
  const { language } = useLanguage();
  useDocumentTitle(t('refIssue.list.title'));
  const list = useResource('issued-documents', (a) => a.referrals.issued());
  const [cancelling, setCancelling] = useState<IssuedDocument>();
  const nameOf = (d: IssuedDocument) => (d.form ? t('referrals.form', { form: d.form === '119a' ? '119а' : d.form === '3A' ? '3А' : d.form }) : t('refIssue.prescription'));
  // A correction is issued again from the same encounter (remote: by its request), as a new signed version.
  const correctHref = (d: IssuedDocument) => `${d.requestId ? `/requests/${d.requestId}` : `/encounters/${d.encounterId}`}/${d.kind}s/new?replaces=${d.id}`;
  const columns: Column<IssuedDocument>[] = [
    {
      key: 'doc',
      header: t('refIssue.col.document'),
      label: t('refIssue.col.document'),
      cell: (d) => (
        <>
          <strong>{nameOf(d)}</strong>
          <span className="ref-summary">{`${d.diagnosisCode} · ${d.summary}`}</span>
        </>
      ),
    },
    { key: 'patient', header: t('refIssue.col.patient'), label: t('refIssue.col.patient'), cell: (d) => (d.requestId ? <Link to={`/requests/${d.requestId}/consultation`}>{d.patientName}</Link> : d.patientName) },
    {
      key: 'issued',
      header: t('refIssue.col.issued'),
      label: t('refIssue.col.issued'),
      cell: (d) => (
        <>
          {formatDay(d.issuedOn, locales[language])}
          {d.validUntil ? <span className="ref-summary">{t('refIssue.validUntil', { date: formatDay(d.validUntil, locales[language]) })}</span> : null}
        </>
      ),
    },
    { key: 'status', header: t('refIssue.col.status'), label: t('refIssue.col.status'), cell: (d) => <Badge tone={TONE[d.status]}>{t(`referrals.status.${d.status}` as MessageKey)}</Badge> },
    {
      key: 'nrn',
      header: t('refIssue.col.nrn'),
      label: t('refIssue.col.nrn'),
      cell: (d) => (
        <>
          <span className="ref-nrn">{d.nrn ?? t('referrals.pendingNrn')}</span>{' '}
          <a href={api.referrals.pdfHref(d.kind, d.id)} download>
            PDF<span className="visually-hidden">{` ${d.patientName} ${d.issuedOn}`}</span>
          </a>
        </>
      ),
    },
    {
      key: 'actions',
      header: t('refIssue.col.actions'),
      label: t('refIssue.col.actions'),
      // Only a document the NHIS acknowledged and nobody used is cancelled or corrected (R007 / P007).
      cell: (d) =>
        d.status === 'issued' ? (
          <span className="ref-actions">
            <button type="button" className="button button--secondary button--small" onClick={() => setCancelling(d)}>
              {t('refIssue.cancel.open')}
              <span className="visually-hidden">{` ${nameOf(d)} ${d.nrn ?? ''}`}</span>
            </button>
            <Link className="button button--secondary button--small" to={correctHref(d)}>
              {t('refIssue.correct.open')}
              <span className="visually-hidden">{` ${nameOf(d)} ${d.nrn ?? ''}`}</span>
            </Link>
          </span>
        ) : null,
    },
  ];
  return (
    <div className="page">
      <PageHeader title={t('refIssue.list.title')} lead={t('refIssue.list.lead')} />
      <ResourceView resource={list} lines={5}>
        {(v) => (
          <DataTable
            caption={t('refIssue.list.caption')}
            columns={columns}
            rows={v.items}
            rowKey={(d) => `${d.kind}:${d.id}`}
            empty={<EmptyState title={t('refIssue.list.empty')}>{t('refIssue.list.emptyHint')}</EmptyState>}
          />
        )}
      </ResourceView>
      <CancelDocumentDialog
        doc={cancelling}
        name={cancelling ? nameOf(cancelling) : ''}
        onClose={() => setCancelling(undefined)}
        onDone={() => {
          setCancelling(undefined);
          list.reload();
        }}
      />
    </div>
  );
}
