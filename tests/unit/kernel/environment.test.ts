/** The one environment schema: a function that builds without its variables fails then, naming each one. */
import { afterEach, describe, expect, it } from 'vitest';
import { EnvironmentError, environment } from '../../../functions/kernel/runtime/environment.js';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('the environment', () => {
  it('answers the variables asked for, validated', () => {
    process.env.TABLE_NAME = 'subsidies';
    process.env.RESIDENT_ID_KEY_SECRET_ARN = 'arn:aws:secretsmanager:cn-north-1:1:secret:k';

    expect(environment('TABLE_NAME', 'RESIDENT_ID_KEY_SECRET_ARN')).toEqual({
      TABLE_NAME: 'subsidies',
      RESIDENT_ID_KEY_SECRET_ARN: 'arn:aws:secretsmanager:cn-north-1:1:secret:k',
    });
  });

  it('names every variable that is missing or malformed, at once', () => {
    delete process.env.TABLE_NAME;
    process.env.RESIDENT_ID_KEY_SECRET_ARN = '';

    const failure = (() => {
      try {
        environment('TABLE_NAME', 'RESIDENT_ID_KEY_SECRET_ARN');
      } catch (error) {
        return error;
      }
    })();

    expect(failure).toBeInstanceOf(EnvironmentError);
    expect((failure as EnvironmentError).variables.sort()).toEqual(['RESIDENT_ID_KEY_SECRET_ARN', 'TABLE_NAME']);
    expect((failure as Error).message).toMatch(/RESIDENT_ID_KEY_SECRET_ARN/);
  });

  it('leaves an optional variable undefined when it is absent', () => {
    delete process.env.WEBHOOK_QUEUE_URL;

    expect(environment('WEBHOOK_QUEUE_URL')).toEqual({});
  });
});
