/** Standard Webhooks signing: the spec's own vector, the reference verifier, rotation, and sealing secrets at rest. */
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  decryptSecret,
  encryptSecret,
  newWebhookSecret,
  signature,
  signatureHeader,
} from '../../../functions/webhooks/domain/signing.js';

const vector = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('webhook signing', () => {
  it('gives the Standard Webhooks test vector its signature', () => {
    expect(signature(vector.secret, vector.id, vector.timestamp, vector.body)).toBe(vector.signature);
  });

  it('agrees with the standardwebhooks package, which verifies what we sign', () => {
    const secret = newWebhookSecret();
    const now = Math.floor(Date.now() / 1000);
    const headers = {
      'webhook-id': 'msg_x_1',
      'webhook-timestamp': String(now),
      'webhook-signature': signatureHeader([secret], 'msg_x_1', now, '{"a":1}'),
    };

    expect(new Webhook(secret).sign('msg_x_1', new Date(now * 1000), '{"a":1}')).toBe(headers['webhook-signature']);
    expect(new Webhook(secret).verify('{"a":1}', headers)).toEqual({ a: 1 });
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
  });

  it('signs with the old and the new secret while a rotation overlaps, and either verifies', () => {
    const [previous, current] = [newWebhookSecret(), newWebhookSecret()];
    const now = Math.floor(Date.now() / 1000);
    const header = signatureHeader([current, previous], 'msg_y_2', now, '{}');
    const headers = { 'webhook-id': 'msg_y_2', 'webhook-timestamp': String(now), 'webhook-signature': header };

    expect(header.split(' ')).toHaveLength(2);
    expect(() => new Webhook(previous).verify('{}', headers)).not.toThrow();
    expect(() => new Webhook(current).verify('{}', headers)).not.toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify('{}', headers)).toThrow();
  });

  it('seals a secret so that only the key opens it', () => {
    const secret = newWebhookSecret();
    const sealed = encryptSecret('a'.repeat(32), secret);

    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(decryptSecret('a'.repeat(32), sealed)).toBe(secret);
    expect(() => decryptSecret('b'.repeat(32), sealed)).toThrow();
    expect(() => encryptSecret('short', secret)).toThrow(/WEBHOOK_SECRET_KEY/);
  });
});
