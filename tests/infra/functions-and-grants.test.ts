/**
 * The capability-module layout moved every handler's file; the stack must keep every function and
 * exactly the rights it had (the fixture was written from the template before the move, by
 * `functionGrants`). A function added or a grant changed on purpose: rewrite the fixture with
 * `npx tsx tools/function-grants.ts` and say why in the commit.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { functionGrants } from '../../tools/support/function-grants.js';

const expected = JSON.parse(readFileSync(new URL('./fixtures/functions-and-grants.json', import.meta.url), 'utf8'));

describe('the functions of the stack and their grants', () => {
  it('keeps every function and every grant it had', () => {
    expect(functionGrants(inject('template'))).toEqual(expected);
  });
});
