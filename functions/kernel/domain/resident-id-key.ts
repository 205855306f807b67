/**
 * The keyed hash of a resident ID, apart from `residentId.ts`: that module's checks run in the
 * console too (the browser has no node:crypto), this one only on the server.
 */
import { createHmac } from 'node:crypto';

/**
 * A keyed hash of the number: finds one person's applications and grants without keeping
 * the number itself. The secret is the city's, never stored beside the data.
 */
export function residentIdKey(value: string, secret: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url');
}
