/**
 * Field errors after the move to zod/mini: zod/mini has no messages of its own, so the product
 * sets the English ones; a refused body still names each field with a message a person can act on.
 */

import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { decisionSchema } from '../../../functions/applications/domain/decisions.js';
import { useEnglishMessages } from '../../../functions/kernel/domain/validation-messages.js';
import { HttpProblem, validated } from '../../../functions/kernel/http/http.js';

const fieldErrorsOf = (schema: z.core.$ZodType, value: unknown, prefix: string[] = []) => {
  try {
    validated(schema, value, prefix);
  } catch (error) {
    if (error instanceof HttpProblem) return { status: error.status, errors: error.fieldErrors };
    throw error;
  }
  throw new Error('the value was accepted');
};

describe('zod/mini messages', () => {
  const saved = z.config().localeError;
  afterEach(() => {
    z.config({ localeError: saved });
  });

  it('reads "Invalid input" without a locale, and says what is wrong once English is set', () => {
    const schema = z.object({ comment: z.string().check(z.minLength(1)) });
    z.config({ localeError: undefined });

    expect(schema.safeParse({ comment: '' }).error?.issues[0]?.message).toBe('Invalid input');

    useEnglishMessages();
    expect(schema.safeParse({ comment: '' }).error?.issues[0]?.message).toBe(
      'Too small: expected string to have >=1 characters',
    );
  });
});

describe('validated', () => {
  it('answers 422 naming each field of a decision with a clear message', () => {
    const refusal = fieldErrorsOf(decisionSchema, {
      decision: 'reject',
      expectedVersion: 1.5,
      reason: 'x'.repeat(65),
      comment: '   ',
    });

    expect(refusal.status).toBe(422);
    expect(refusal.errors).toEqual([
      { field: 'expectedVersion', message: 'Invalid input: expected int, received number' },
      { field: 'reason', message: 'Too big: expected string to have <=64 characters' },
      { field: 'comment', message: 'Too small: expected string to have >=1 characters' },
    ]);
  });

  it('names the decisions a body may take when the kind is unknown', () => {
    expect(fieldErrorsOf(decisionSchema, { decision: 'maybe', expectedVersion: 1 }).errors).toEqual([
      { field: 'decision', message: "Invalid discriminator value. Expected 'approve' | 'reject' | 'return'" },
    ]);
  });

  it('puts a prefix before nested paths and names the body itself when it is not an object', () => {
    const schema = z.object({ period: z.object({ months: z.number().check(z.int(), z.minimum(1)) }) });

    expect(fieldErrorsOf(schema, { period: { months: 0 } }, ['details']).errors).toEqual([
      { field: 'details.period.months', message: 'Too small: expected number to be >=1' },
    ]);
    expect(fieldErrorsOf(schema, 'text').errors).toEqual([
      { field: '(body)', message: 'Invalid input: expected object, received string' },
    ]);
  });

  it('trims before measuring, and gives back the parsed value', () => {
    expect(validated(decisionSchema, { decision: 'return', expectedVersion: 2, comment: '  请补充劳动合同 ' })).toEqual(
      { decision: 'return', expectedVersion: 2, comment: '请补充劳动合同' },
    );
  });
});
