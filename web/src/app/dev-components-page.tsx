import { useState } from 'react';
import { useT } from '../i18n/index.js';
import { Badge, Callout, Card, ConfirmDialog, DataTable, EmptyState, Facts, PageHeader, Skeleton, useToast } from '../components/ui.js';
import { WeekCalendar, sofiaDay } from '../components/week-calendar.js';
import { BannerView } from '../features/patient/components/patient-banner.js';

const sampleBanner = {
  requestId: '01900000-0000-7000-8000-000000000001',
  patientId: '01900000-0000-7000-8000-000000000002',
  givenName: 'Мария',
  middleName: 'Петрова',
  familyName: 'Иванова',
  sex: 'female' as const,
  birthDate: '1984-03-17',
  ageYears: 42,
  identifierKind: 'egn' as const,
  identifierMasked: '••••••••23',
  representative: null,
  reason: 'Болка в гърдите при изкачване на стълби',
  medicines: 'Бисопролол 5 mg сутрин',
};

/** `/dev/components` (development builds only): every shared part of the interface on one page. */
export function DevComponentsPage() {
  const t = useT();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const today = sofiaDay(new Date());
  const at = (h: number, m = 0) => new Date(`${today}T${String(h - 2).padStart(2, '0')}:${String(m).padStart(2, '0')}:00Z`).toISOString();
  return (
    <div className="page stack">
      <PageHeader title={t('dev.components.title')} lead={t('dev.components.lead')} actions={<button type="button" className="button" onClick={() => toast('Часът е запазен.')}>Покажи известие</button>} />
      <Card title="Бутони">
        <div className="button-row">
          <button type="button" className="button">Основно действие</button>
          <button type="button" className="button button--secondary">Второстепенно</button>
          <button type="button" className="button button--ghost">Без рамка</button>
          <button type="button" className="button button--danger" onClick={() => setOpen(true)}>Отказ от часа…</button>
          <button type="button" className="button button--small">Малък</button>
          <button type="button" className="link-button">Бутон-връзка</button>
        </div>
      </Card>
      <Card title="Значки">
        <div className="cluster">
          <Badge>Подадена</Badge>
          <Badge tone="ok">✓ съгласие</Badge>
          <Badge tone="warn">– самоличност непроверена</Badge>
          <Badge tone="danger">✗ отказана</Badge>
          <Badge tone="info">Насрочена</Badge>
        </div>
      </Card>
      <Callout title="Само за планова помощ">При спешно състояние се обадете на 112.</Callout>
      <Callout tone="warn" title="Съгласието не е подписано">Подпишете информираното съгласие преди консултацията.</Callout>
      <Callout tone="danger" title="Срокът е пропуснат">Амбулаторният лист не е вписан в НЗИС.</Callout>
      <Card title="Пациент">
        <BannerView banner={sampleBanner} />
        <BannerView banner={sampleBanner} compact />
      </Card>
      <Card title="Форма">
        <form className="stack" onSubmit={(e) => e.preventDefault()}>
          <div className="ra-field">
            <label htmlFor="dev-name">Име</label>
            <input id="dev-name" aria-describedby="dev-name-hint" />
            <p id="dev-name-hint" className="ra-field__hint">Както е в личната карта.</p>
          </div>
          <div className="ra-field">
            <label htmlFor="dev-egn">ЕГН</label>
            <input id="dev-egn" aria-invalid="true" aria-describedby="dev-egn-error" defaultValue="123" />
            <p id="dev-egn-error" className="ra-field__error">ЕГН трябва да има 10 цифри.</p>
          </div>
          <div className="ra-field">
            <label htmlFor="dev-select">Специалност</label>
            <select id="dev-select">
              <option>Кардиология</option>
              <option>Ендокринология</option>
            </select>
          </div>
          <label className="ra-choice">
            <input type="checkbox" /> Съгласен съм
          </label>
          <button type="submit" className="button">Запази</button>
        </form>
      </Card>
      <Card title="Таблица">
        <DataTable
          caption="Часове"
          rows={[
            { id: '1', time: 'пн, 7 декември, 10:00', who: 'Мария Иванова', state: 'Насрочена' },
            { id: '2', time: 'вт, 8 декември, 11:30', who: 'Георги Петров', state: 'Подадена' },
          ]}
          rowKey={(r) => r.id}
          columns={[
            { key: 'time', header: 'Час', label: 'Час', cell: (r) => r.time },
            { key: 'who', header: 'Пациент', label: 'Пациент', cell: (r) => r.who },
            { key: 'state', header: 'Състояние', label: 'Състояние', cell: (r) => <Badge tone="info">{r.state}</Badge> },
          ]}
        />
      </Card>
      <Card title="Факти">
        <Facts items={[{ label: 'Лечебно заведение', value: 'МЦ „Св. Лука“' }, { label: 'Цена', value: new Intl.NumberFormat('bg-BG', { style: 'currency', currency: 'EUR' }).format(30) }]} />
      </Card>
      <Card title="Празен списък и зареждане">
        <EmptyState title="Няма предстоящи часове" action={<a className="button" href="/directory">Намерете специалист</a>}>
          Запазете час от справочника.
        </EmptyState>
        <Skeleton lines={3} />
      </Card>
      <Card title="Календар">
        <WeekCalendar
          entries={[
            { id: 'a', start: at(10), end: at(10, 30), title: 'Видеоконсултация', href: '/worklist' },
            { id: 'b', start: at(14), end: at(18), title: 'Отпуск', kind: 'absence' },
          ]}
        />
      </Card>
      <ConfirmDialog open={open} title="Да отменим ли часа?" confirm="Отмени часа" danger onConfirm={() => setOpen(false)} onCancel={() => setOpen(false)}>
        <p>Часът в понеделник, 7 декември, 10:00 ще бъде освободен.</p>
      </ConfirmDialog>
    </div>
  );
}
