import { useCallback, useState } from 'react';
import { problemFromError, type Problem } from '../../api/problem.js';
import { useResource, valueOf } from '../../api/use-resource.js';
import type { Readiness } from './api.js';

export type ReadinessResult =
  | { kind: 'readiness'; readiness: Readiness; checkedAt: Date }
  | { kind: 'problem'; problem: Problem; checkedAt: Date };

export interface ReadinessState {
  /** True while a check is in flight; the previous result stays visible meanwhile. */
  loading: boolean;
  result?: ReadinessResult;
  refresh: () => void;
}

/** Asks the server whether it is ready, on mount and on every `refresh()`. */
export function useReadiness(): ReadinessState {
  const [attempt, setAttempt] = useState(0);
  // A refused check is a result to show (with its time), not a failed load: the loader never rejects,
  // and each answer carries the attempt it belongs to, so "still checking" is an older attempt shown.
  const checked = useResource('ops/readiness', (api, signal) =>
    api.ops.getReadiness({ signal }).then(
      (readiness): { attempt: number; result: ReadinessResult } => ({ attempt, result: { kind: 'readiness', readiness, checkedAt: new Date() } }),
      (error: unknown): { attempt: number; result: ReadinessResult } => ({ attempt, result: { kind: 'problem', problem: problemFromError(error), checkedAt: new Date() } }),
    ),
  );
  const { reload } = checked;
  const refresh = useCallback(() => {
    setAttempt((n) => n + 1);
    reload();
  }, [reload]);
  const shown = valueOf(checked);
  return { loading: shown?.attempt !== attempt, ...(shown ? { result: shown.result } : {}), refresh };
}
