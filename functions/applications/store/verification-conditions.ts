/**
 * What an application's write says of its verification: whether its checks wait on data (the
 * re-runner is then told, in the same transaction), and the condition that what was read is unchanged.
 */
import type { Application } from '../domain/lifecycle.js';

export const waitsOnData = (application: Application) =>
  application.verification?.results.some((r) => r.outcome === 'pending') ?? false;

/**
 * The condition that the application's verification is still the one read: a check that raised a
 * suspicion meanwhile (verification's `raiseSuspicion`, which moves neither version nor history)
 * makes the write retry, and the approval guard then sees the suspicion.
 */
export function verificationUnchanged(prior: Application) {
  const held = prior.verification;
  if (!held)
    return { condition: 'attribute_not_exists(#verification)', names: { '#verification': 'verification' }, values: {} };
  return {
    condition: `#verification.checkedAt = :checkedAt AND ${held.suspicion ? '#verification.suspicion.id = :suspicionId AND #verification.suspicion.#suspicionStatus = :suspicionStatus' : 'attribute_not_exists(#verification.suspicion)'}`,
    names: { '#verification': 'verification', ...(held.suspicion ? { '#suspicionStatus': 'status' } : {}) },
    values: {
      ':checkedAt': held.checkedAt,
      ...(held.suspicion ? { ':suspicionId': held.suspicion.id, ':suspicionStatus': held.suspicion.status } : {}),
    },
  };
}
