import { useEffect } from 'react';

/** Unsaved changes are saved this long after the last keystroke (Ctrl+S saves at once). */
export const AUTOSAVE_MS = 4000;

export type SheetMode = 'edit' | 'review' | 'signed';

/**
 * Autosave after a pause in typing (never while a conflict waits for the specialist's choice), and
 * Ctrl+S / ⌘S from anywhere on the page. Tricky: with a Cyrillic layout `key` is "с", so the physical
 * key (`code`) is checked too.
 */
export function useDraftKeeping({ mode, conflict, changeSeq, savedRef, save }: { mode: SheetMode; conflict: boolean; changeSeq: number; savedRef: { current: number }; save: (force?: boolean) => Promise<unknown> }) {
  useEffect(() => {
    if (mode !== 'edit' || conflict || changeSeq === savedRef.current) return;
    const timer = window.setTimeout(() => void save(), AUTOSAVE_MS);
    return () => window.clearTimeout(timer);
  }, [changeSeq, mode, conflict, save, savedRef]);

  useEffect(() => {
    if (mode !== 'edit') return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.code === 'KeyS' || e.key.toLowerCase() === 's')) {
        e.preventDefault();
        void save(true);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [mode, save]);
}

/** Leaving with unsaved text asks first. */
export function useLeaveWarning(dirty: boolean) {
  useEffect(() => {
    if (!dirty) return;
    const onUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [dirty]);
}
