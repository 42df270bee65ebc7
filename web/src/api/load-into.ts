import { problemFromError, type Problem } from './problem.js';

/**
 * Starts a load for an effect: the answer goes to `onValue`, a failure to `onProblem` as a problem,
 * unless the returned cleanup ran first (the page moved on), so a late answer never lands.
 * Use: `useEffect(() => loadInto(api.x.get(), setX, setProblem), [api])`.
 * @param load - the request, already started
 * @param onValue - receives the answer
 * @param onProblem - receives the problem
 * @returns the effect's cleanup
 */
export function loadInto<T>(load: Promise<T>, onValue: (value: T) => void, onProblem: (problem: Problem) => void): () => void {
  let live = true;
  load.then(
    (value) => {
      if (live) onValue(value);
    },
    (error: unknown) => {
      if (live) onProblem(problemFromError(error));
    },
  );
  return () => {
    live = false;
  };
}
