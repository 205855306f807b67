/**
 * What adapters build from their configuration (SDK clients, a derived key) is built once per
 * container, again only when the configuration moves, and never kept when the build failed.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { builtOncePer } from '../../../functions/kernel/adapters/built-once.js';
import { onKmsKey } from '../../../functions/kernel/adapters/kms-key.js';
import { EnvironmentError } from '../../../functions/kernel/runtime/environment.js';

afterEach(() => vi.unstubAllEnvs());

describe('builtOncePer', () => {
  it('answers what it built for the same configuration, and builds again when the configuration changes', () => {
    const kept = builtOncePer<{ endpoint: string | undefined }>();
    const build = vi.fn((endpoint: string | undefined) => ({ endpoint }));

    const first = kept(['key', 'http://127.0.0.1:1'], () => build('http://127.0.0.1:1'));
    const again = kept(['key', 'http://127.0.0.1:1'], () => build('http://127.0.0.1:1'));
    const moved = kept(['key', 'http://127.0.0.1:2'], () => build('http://127.0.0.1:2'));

    expect(again).toBe(first);
    expect(moved).toEqual({ endpoint: 'http://127.0.0.1:2' });
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('keeps an absent setting apart from an empty one', () => {
    const kept = builtOncePer<string>();

    kept([undefined], () => 'absent');

    expect(kept([''], () => 'empty')).toBe('empty');
  });

  it('keeps nothing from a build that throws: the next call builds again', () => {
    const kept = builtOncePer<string>();

    expect(() =>
      kept(['k'], () => {
        throw new Error('KMS is down');
      }),
    ).toThrow('KMS is down');

    expect(kept(['k'], () => 'built')).toBe('built');
  });

  it('forgets a promise that rejects, and keeps one that resolves', async () => {
    const kept = builtOncePer<Promise<string>>();

    await expect(kept(['k'], () => Promise.reject(new Error('throttled')))).rejects.toThrow('throttled');
    const derived = kept(['k'], () => Promise.resolve('derived'));

    expect(await derived).toBe('derived');
    expect(kept(['k'], () => Promise.resolve('derived again'))).toBe(derived);
  });
});

describe('onKmsKey', () => {
  it('builds on a KMS client for the key the variable names, once per key and endpoint', () => {
    vi.stubEnv('PAGING_CURSOR_KMS_KEY_ID', 'key-a');
    vi.stubEnv('AWS_ENDPOINT_URL_KMS', 'http://127.0.0.1:1');
    const build = vi.fn((client: KMSClient, keyId: string) => ({ client, keyId }));
    const current = onKmsKey('PAGING_CURSOR_KMS_KEY_ID', build);

    const first = current();
    const again = current();
    vi.stubEnv('AWS_ENDPOINT_URL_KMS', 'http://127.0.0.1:2');
    const afterRestart = current();
    vi.stubEnv('PAGING_CURSOR_KMS_KEY_ID', 'key-b');
    const otherKey = current();

    expect(first.client).toBeInstanceOf(KMSClient);
    expect(again).toBe(first);
    expect(afterRestart.client).not.toBe(first.client);
    expect(otherKey.keyId).toBe('key-b');
    expect(build).toHaveBeenCalledTimes(3);
  });

  it('fails naming the variable when the key is not configured, and only when first used', () => {
    vi.stubEnv('RESIDENT_ID_KMS_KEY_ID', undefined);
    const current = onKmsKey('RESIDENT_ID_KMS_KEY_ID', (_client, keyId) => keyId);

    expect(current).toThrow(EnvironmentError);
    expect(current).toThrow(/RESIDENT_ID_KMS_KEY_ID/);
  });
});
