/**
 * Minimum necessary, per role (PIPL art. 6): who may see which of an applicant's fields. Only the
 * community that took the application in and the approver deciding it now see the applicant's
 * name, phone and proof of status; everyone else (approvers of other stages or units, monitors,
 * administrators) sees the name masked and no direct identifier. Nobody sees more of the resident
 * ID than its first four characters (the city, which the unit path says anyway): with the birth
 * date an age gives and the sex a 4050 rule shows, any more would narrow it to a few people.
 * The README's role × field table is this file in words.
 */
import { type Actor, approvalStages, approverRoleOf } from '../../kernel/domain/actor.js';
import type { MaskedApplicant } from '../../kernel/domain/programmes.js';
import { unitAtLevel, unitCovers } from '../../kernel/domain/units.js';
import type { Application } from './lifecycle.js';

/** `identified`: name, phone and proof as taken in. `masked`: no direct identifier. */
export type ApplicantAccess = 'identified' | 'masked';

/** The applicant's fields each access shows (the README's matrix). */
export const applicantFieldsShown: Record<ApplicantAccess, readonly string[]> = {
  identified: ['name', 'idNumber (first 4)', 'phone', 'proof.kind', 'proof.number', 'household'],
  masked: ['name (masked)', 'idNumber (first 4)'],
};

/** The approver who decides the open stage: the stage's role at the stage's unit on the application's path. */
export function isDecidingApprover(application: Pick<Application, 'stage' | 'unitPath'>, actor: Actor): boolean {
  const stage = approvalStages.find((level) => level === application.stage);
  if (!stage) return false;
  return actor.role === approverRoleOf[stage] && actor.unit === unitAtLevel(application.unitPath, stage);
}

export function applicantAccess(
  application: Pick<Application, 'communityId' | 'stage' | 'unitPath'>,
  actor: Actor,
): ApplicantAccess {
  if (actor.role === 'community-staff' && actor.unit === application.communityId) return 'identified';
  return isDecidingApprover(application, actor) ? 'identified' : 'masked';
}

/**
 * Who may list a community's applications (`communityPath`: city down to the community): its own
 * staff, and approvers whose unit covers it (they see names masked, as on any application they
 * do not decide now).
 */
export function mayListCommunity(actor: Actor, communityPath: readonly string[]): boolean {
  if (actor.role === 'community-staff') return actor.unit === communityPath.at(-1);
  return (Object.values(approverRoleOf) as string[]).includes(actor.role) && unitCovers(actor.unit, communityPath);
}

/** Finding an application by the applicant's name searches personal data: only the community's own staff may. */
export function mayFindByName(actor: Actor, communityId: string): boolean {
  return actor.role === 'community-staff' && actor.unit === communityId;
}

/** Only the family name and the last character: 王秀英 → 王*英, 张伟 → 张*. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

/** How many leading characters of a resident ID are ever shown (or kept beside the sealed copy). */
export const residentIdShownChars = 4;

/**
 * A resident ID (clear or as an older version masked it) shown as `1301**************`: only
 * the city. Applied again on every view, so items masked the older 4 + 4 way are shown the same.
 */
export function shownResidentId(idNumber: string): string {
  return `${idNumber.slice(0, residentIdShownChars)}${'*'.repeat(Math.max(idNumber.length, 18) - residentIdShownChars)}`;
}

export type ApplicantView =
  | (Omit<MaskedApplicant, 'household'> & { household?: MaskedApplicant['household'] })
  | { name: string; idNumber: string };

/** The applicant as `access` may see it. */
export function applicantAsSeen(applicant: MaskedApplicant, access: ApplicantAccess): ApplicantView {
  const idNumber = shownResidentId(applicant.idNumber);
  if (access === 'masked') return { name: maskName(applicant.name), idNumber };
  return { ...applicant, idNumber };
}

/** The fields of personal data a view for `access` carries, as the read audit records them. */
export const personalFieldsRead = (access: ApplicantAccess): string[] =>
  access === 'identified' ? ['name', 'idNumber', 'phone', 'proof', 'household'] : ['name-masked', 'idNumber-masked'];

/**
 * Whether the figures of the checks against other offices' records are shown (what the records
 * say: a death, a prison term, a pension, an employer): to whoever sees the applicant in full, and
 * to an auditor, who must see what a mismatch is about to judge it (the name stays masked). Others
 * see each check's outcome and source only.
 */
export function verificationFiguresShown(
  application: Pick<Application, 'communityId' | 'stage' | 'unitPath'>,
  actor: Actor,
): boolean {
  return actor.role === 'auditor' || applicantAccess(application, actor) === 'identified';
}

/**
 * The personal fields a view of the application shows `actor`, as the read audit records them; none
 * when nothing personal is shown (a masked name and the ID's first four characters alone are not
 * recorded, as before the checks existed).
 */
export function viewFieldsRead(application: Application, actor: Actor): string[] {
  const access = applicantAccess(application, actor);
  const figures = application.verification !== undefined && verificationFiguresShown(application, actor);
  if (access === 'masked' && !figures) return [];
  return [...personalFieldsRead(access), ...(figures ? ['verification-figures'] : [])];
}
