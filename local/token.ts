/** `npm run token -- --role ROLE --unit UNIT [--sub PERSON-ID]`: prints a local bearer token on its last line. */
import { parseArgs } from 'node:util';
import { actorSchema } from '../functions/domain/actor.js';
import { signLocalToken } from './auth.js';

const { values } = parseArgs({
  options: { role: { type: 'string' }, unit: { type: 'string' }, sub: { type: 'string' } },
  strict: true,
});
const role = values.role ?? '';
const unit = values.unit ?? '';
const parsed = actorSchema.safeParse({ sub: values.sub ?? `${role}@${unit}`, role, unit });
if (!parsed.success) {
  console.error('usage: npm run token -- --role ROLE --unit UNIT [--sub PERSON-ID]');
  for (const issue of parsed.error.issues) console.error(`  ${issue.path.join('.') || 'token'}: ${issue.message}`);
  console.error('roles: community-staff, street-approver, district-approver, city-approver, city-monitor, admin');
  process.exit(2);
}
console.log(signLocalToken(parsed.data));
