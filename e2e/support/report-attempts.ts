import { beforeEach } from 'vitest';

// Setup file of the e2e project (vitest.config.ts). A journey that fails and then passes on its retry
// is reported as passed, and the reporter drops the first attempt's error: a flake would leave no
// trace. This prints each failed attempt's own errors (on stderr, which the reporter shows).
beforeEach(({ task, onTestFailed }) => {
  // The runner keeps the errors of earlier attempts in the same list.
  const before = task.result?.errors?.length ?? 0;
  onTestFailed(() => {
    const attempt = (task.result?.retryCount ?? 0) + 1;
    for (const e of (task.result?.errors ?? []).slice(before)) {
      const where = (e.stack ?? e.message).split('\n').filter((line) => !line.includes('/node_modules/'));
      console.error(`[e2e] attempt ${attempt} of "${task.fullName}" failed: ${where.join('\n')}`);
    }
  });
});
