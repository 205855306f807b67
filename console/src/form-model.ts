/**
 * The application form as fields named by the paths the API's schema uses (`applicant.name`,
 * `details.period.start`…), so an error from the schema or from the API lands on its field.
 * Amounts are typed in yuan and sent in fen, as the API keeps them.
 */
import { type ProgrammeId, programmeIds } from '../../functions/kernel/domain/programmes.js';
import type { MessageKey } from './i18n/index.js';

export type FieldKind = 'text' | 'yuan' | 'int' | 'date' | 'month' | 'select';

export interface FieldSpec {
  path: string;
  label: MessageKey;
  kind: FieldKind;
  options?: { value: string; label: MessageKey }[];
  placeholder?: string;
}

const proofOptions = (['re-employment-certificate', 'unemployment-registration', 'hard-to-employ'] as const).map(
  (value) => ({ value, label: `proof.${value}` as MessageKey }),
);
const businessOptions = (['individual', 'partnership', 'small-enterprise'] as const).map((value) => ({
  value,
  label: `business.${value}` as MessageKey,
}));

export const applicantFields: FieldSpec[] = [
  { path: 'applicant.name', label: 'form.name', kind: 'text' },
  { path: 'applicant.idNumber', label: 'form.idNumber', kind: 'text' },
  { path: 'applicant.phone', label: 'form.phone', kind: 'text' },
  { path: 'applicant.proof.kind', label: 'form.proofKind', kind: 'select', options: proofOptions },
  { path: 'applicant.proof.number', label: 'form.proofNumber', kind: 'text' },
];

const employer: FieldSpec[] = [
  { path: 'details.employer.name', label: 'form.employerName', kind: 'text' },
  { path: 'details.employer.creditCode', label: 'form.creditCode', kind: 'text' },
  { path: 'details.post.title', label: 'form.postTitle', kind: 'text' },
  { path: 'details.post.startDate', label: 'form.postStart', kind: 'date' },
];
const period: FieldSpec[] = [
  { path: 'details.period.start', label: 'form.periodStart', kind: 'month' },
  { path: 'details.period.months', label: 'form.periodMonths', kind: 'int' },
];

export const detailFields: Record<ProgrammeId, FieldSpec[]> = {
  'social-insurance/public-welfare-post': [
    ...employer,
    { path: 'details.contract.start', label: 'form.contractStart', kind: 'date' },
    { path: 'details.contract.end', label: 'form.contractEnd', kind: 'date' },
    { path: 'details.monthlyContribution', label: 'form.monthlyContribution', kind: 'yuan' },
    ...period,
  ],
  'social-insurance/flexible-employment': [
    { path: 'details.registrationNo', label: 'form.registrationNo', kind: 'text' },
    { path: 'details.registeredOn', label: 'form.registeredOn', kind: 'date' },
    { path: 'details.monthlyContribution', label: 'form.monthlyContribution', kind: 'yuan' },
    ...period,
  ],
  'post-subsidy': [
    ...employer,
    { path: 'details.monthlyAmount', label: 'form.monthlyAmount', kind: 'yuan' },
    ...period,
  ],
  'microloan-guarantee': [
    { path: 'details.business.name', label: 'form.businessName', kind: 'text' },
    { path: 'details.business.type', label: 'form.businessType', kind: 'select', options: businessOptions },
    { path: 'details.business.licenceNo', label: 'form.licenceNo', kind: 'text' },
    { path: 'details.loanAmount', label: 'form.loanAmount', kind: 'yuan' },
    { path: 'details.termMonths', label: 'form.termMonths', kind: 'int' },
    { path: 'details.bank', label: 'form.bank', kind: 'text' },
    { path: 'details.jobsCreated', label: 'form.jobsCreated', kind: 'int' },
  ],
};

export const programmes: readonly ProgrammeId[] = programmeIds;

export type FormValues = Record<string, string>;

export interface DocumentRow {
  kind: string;
  ref: string;
}

function typed(spec: FieldSpec, raw: string): unknown {
  const text = raw.trim();
  if (spec.kind === 'yuan') return text === '' ? undefined : Math.round(Number(text) * 100);
  if (spec.kind === 'int') return text === '' ? undefined : Number(text);
  if (text === '') return undefined;
  return spec.path === 'applicant.idNumber' ? text.toUpperCase() : text;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1) as string] = value;
}

/** The part of a body these fields make (only the fields given a value). */
export function bodyOf(fields: readonly FieldSpec[], values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const spec of fields) {
    const value = typed(spec, values[spec.path] ?? '');
    if (value !== undefined) setPath(body, spec.path, value);
  }
  return body;
}

export function submissionBody(
  programme: ProgrammeId,
  communityId: string,
  values: FormValues,
  documents: readonly DocumentRow[],
): Record<string, unknown> {
  const fields = [...applicantFields, ...detailFields[programme]];
  const body = bodyOf(fields, values);
  return {
    programme,
    communityId,
    applicant: body.applicant ?? {},
    details: body.details ?? {},
    documents: documents.filter((d) => d.kind.trim() || d.ref.trim()),
  };
}

/** Form values from an application's stored details (for a resubmission). */
export function valuesOfDetails(programme: ProgrammeId, details: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const spec of detailFields[programme]) {
    let node: unknown = { details };
    for (const part of spec.path.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
    if (node === undefined || node === null) continue;
    values[spec.path] = spec.kind === 'yuan' ? String(Number(node) / 100) : String(node);
  }
  return values;
}

export function yuan(fen: number | undefined): string {
  return fen === undefined ? '' : (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2 });
}
