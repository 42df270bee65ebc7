import { describe, expect, it } from 'vitest';
import { systemCtx } from '../../platform/auth/request-context.js';
import { AppError, InvalidTransitionError } from '../../platform/errors/app-error.js';
import { requestLifecycleVia } from './request-lifecycle.js';

const ctx = systemCtx('test');

describe('request lifecycle through the requests service', () => {
  it('asks for start and complete', async () => {
    const calls: string[] = [];
    const l = requestLifecycleVia({ transition: async (_c, id, body) => void calls.push(`${body.action}:${id}`) });
    await l.startService(ctx, 'r1');
    await l.completeService(ctx, 'r1');
    expect(calls).toEqual(['start:r1', 'complete:r1']);
  });

  it('treats a request already in progress or completed as done', async () => {
    const l = requestLifecycleVia({
      transition: async (_c, _id, body) => {
        throw body.action === 'start' ? new InvalidTransitionError('in_progress', 'in_progress') : new InvalidTransitionError('completed', 'completed');
      },
    });
    await expect(l.startService(ctx, 'r1')).resolves.toBeUndefined();
    await expect(l.completeService(ctx, 'r1')).resolves.toBeUndefined();
  });

  it('passes every other refusal on (a cancelled request, a gate)', async () => {
    const cancelled = requestLifecycleVia({ transition: async () => Promise.reject(new InvalidTransitionError('cancelled', 'in_progress')) });
    await expect(cancelled.startService(ctx, 'r1')).rejects.toMatchObject({ code: 'state.bad_transition' });
    const gate = requestLifecycleVia({ transition: async () => Promise.reject(new AppError('rule.violated')) });
    await expect(gate.completeService(ctx, 'r1')).rejects.toMatchObject({ code: 'rule.violated' });
  });
});
