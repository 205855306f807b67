/**
 * The form is judged by the API's own schema (`functions/kernel/domain/programmes.ts`), in the browser,
 * before anything is sent. zod's messages come in the person's language from its zh-CN locale; the
 * domain's own messages (written in English once, for the API) are put into Chinese here, one line
 * each, and the API's refusals, which carry the same messages, go through the same table.
 */
import { zhCN, en as zodEnglish } from 'zod/locales';
import { config, safeParse, type ZodMiniType } from 'zod/mini';
import { type Submission, submissionSchema } from '../../functions/kernel/domain/programmes.js';
import { residentIdProblem } from '../../functions/kernel/domain/resident-id.js';
import type { Language } from './i18n/language.js';

/** The domain's custom messages in Chinese (keyed by the English the schema gives). */
export const domainMessagesZh: Record<string, string> = {
  'does not match the birth date the resident ID encodes': '与身份证号中的出生日期不一致',
  'employment is required when (and only when) the status is employed': '状态为已就业时须填写就业形式（且仅此时填写）',
  'does not match the sex the resident ID encodes': '与身份证号中的性别不一致',
  'must be 18 characters: 17 digits and a digit or X': '应为18位：17位数字加1位数字或X',
  'must be a community id such as community:gexin-01': '应为社区编号，如 community:gexin-01',
  'must be a month such as 2026-04': '应为年月，如 2026-04',
  'must be an 11-digit mobile number': '应为11位手机号码',
  'must be an 18-character unified social credit code': '应为18位统一社会信用代码',
  'must be whole fen': '金额最多精确到分',
  'the birth date it encodes does not exist': '其中的出生日期不存在',
  'the check digit does not match': '校验码不正确',
  'the contract must end after it starts': '合同结束日期应晚于开始日期',
};

export function setValidationLanguage(language: Language): void {
  config(language === 'zh' ? zhCN() : zodEnglish());
}

export function localMessage(message: string, language: Language): string {
  return language === 'zh' ? (domainMessagesZh[message] ?? message) : message;
}

/** Field path (dotted, as the API names it) → message. */
export type FieldMessages = Record<string, string>;

export function validateSubmission(
  body: unknown,
  language: Language,
): { ok: true; value: Submission } | { ok: false; errors: FieldMessages } {
  setValidationLanguage(language);
  const parsed = safeParse(submissionSchema, body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldMessages = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.join('.');
    errors[field] ??= localMessage(issue.message, language);
  }
  return { ok: false, errors };
}

/** Any of the domain's request schemas judged in the browser, as the API judges the body (field path → message). */
export function validateWith<T>(
  schema: ZodMiniType<T>,
  body: unknown,
  language: Language,
): { ok: true; value: T } | { ok: false; errors: FieldMessages } {
  setValidationLanguage(language);
  const parsed = safeParse(schema, body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldMessages = {};
  for (const issue of parsed.error.issues) errors[issue.path.join('.')] ??= localMessage(issue.message, language);
  return { ok: false, errors };
}

/** The resident ID judged as it is typed: nothing while short, then the check digit. */
export function residentIdHint(value: string, language: Language): string | undefined {
  if (value.length < 18) return undefined;
  const problem = residentIdProblem(value.toUpperCase());
  return problem ? localMessage(problem, language) : undefined;
}
