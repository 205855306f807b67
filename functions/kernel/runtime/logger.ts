/**
 * One structured logger for every function: Powertools Logger (JSON lines with the Lambda
 * context, levels, sampling), with a replacer that masks anything shaped like a resident ID number
 * wherever it appears in a line. Callers still pass ids and rules, never people: the mask is the
 * guard behind that habit, not a licence to log personal data.
 */
import { Logger } from '@aws-lambda-powertools/logger';

/** 18 characters: 17 digits and a digit or X (GB 11643), not inside a longer run of digits. */
const residentIdPattern = /(?<![0-9])[0-9]{6}(?:19|20)[0-9]{9}[0-9Xx](?![0-9])/g;

/** A string with every resident-ID-shaped run kept to its first 4 characters, as the API shows them. */
export const maskResidentIds = (text: string): string =>
  text.replace(residentIdPattern, (id) => `${id.slice(0, 4)}**************`);

export const logger = new Logger({
  serviceName: 'employment-subsidy',
  jsonReplacerFn: (_key: string, value: unknown) => (typeof value === 'string' ? maskResidentIds(value) : value),
});
