/**
 * The one way a route names a file it sends (RFC 6266): an ASCII `filename` for old clients and a UTF-8
 * `filename*`, so a Cyrillic name neither breaks the header (Node refuses non-Latin-1 header bytes) nor
 * reaches the user as mojibake.
 * @param kind - `inline` (shown in the browser) or `attachment` (saved)
 * @param name - the file's name as the user should see it
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
