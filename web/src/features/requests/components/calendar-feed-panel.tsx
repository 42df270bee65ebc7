import { useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useResource, valueOf } from '../../../api/use-resource.js';
import { locales, useLanguage, useT } from '../../../i18n/index.js';
import { formatSlot } from '../booking-format.js';

/** The private calendar feed: create (the URL is shown once), replace or stop it. */
export function CalendarFeedPanel() {
  const t = useT();
  const api = useApi();
  const { language } = useLanguage();
  const feed = useResource('calendar/feed', (a) => a.requests.calendarFeedStatus().then((s) => s.createdAt, () => null));
  const [changed, setSince] = useState<string | null>();
  const since = changed === undefined ? valueOf(feed) : changed;
  const [url, setUrl] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  const run = (action: () => Promise<void>) => {
    setProblem(undefined);
    action().catch((e: unknown) => setProblem(problemFromError(e)));
  };
  return (
    <section className="calendar-feed" aria-labelledby="calendar-feed-title">
      <h2 id="calendar-feed-title">{t('calendar.feed.title')}</h2>
      <p>{t('calendar.feed.intro')}</p>
      {problem ? <ProblemAlert problem={problem} /> : null}
      {url ? (
        <label className="book-field">
          {t('calendar.feed.url')}
          <input readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
        </label>
      ) : since ? (
        <p>{t('calendar.feed.active', { date: formatSlot(since, locales[language]) })}</p>
      ) : (
        <p>{t('calendar.feed.none')}</p>
      )}
      <p className="book-links">
        <button
          type="button"
          className="button button--secondary"
          onClick={() =>
            run(async () => {
              const r = await api.requests.createCalendarFeed();
              setUrl(r.url);
              setSince(r.createdAt);
            })
          }
        >
          {since ? t('calendar.feed.replace') : t('calendar.feed.create')}
        </button>
        {since ? (
          <button
            type="button"
            className="button button--secondary"
            onClick={() =>
              run(async () => {
                await api.requests.revokeCalendarFeed();
                setUrl(undefined);
                setSince(null);
              })
            }
          >
            {t('calendar.feed.revoke')}
          </button>
        ) : null}
      </p>
    </section>
  );
}
