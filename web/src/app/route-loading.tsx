/** What shows while a page's chunk loads: a quiet status line, not a blank page. */
export function RouteLoading() {
  return (
    <div className="page" role="status" aria-live="polite">
      <p className="route-loading">…</p>
    </div>
  );
}
