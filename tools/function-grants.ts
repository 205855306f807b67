/**
 * Writes tests/infra/fixtures/functions-and-grants.json from a fresh synthesis: every function of
 * the stack and what its role may do. Run it when a function or a grant changes on purpose, and say
 * why in the commit (tests/infra/functions-and-grants.test.ts compares the template with it).
 * Needs console/dist (`npm run console:build`), as any synthesis does.
 */
import { writeFileSync } from 'node:fs';
import { synthesizeTemplate } from '../infra/synthesize.js';
import { functionGrants } from './support/function-grants.js';

const fixture = new URL('../tests/infra/fixtures/functions-and-grants.json', import.meta.url);
writeFileSync(fixture, `${JSON.stringify(functionGrants(synthesizeTemplate({ bundle: false })), null, 1)}\n`);
