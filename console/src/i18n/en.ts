/**
 * English: the switch for people who read English better; every key of `zh.ts`, no more. One file
 * per area as in Chinese (`en/…`, each typed by its Chinese twin), merged here.
 */
import { admin } from './en/admin.js';
import { applicationForm } from './en/application-form.js';
import { applications } from './en/applications.js';
import { dashboard } from './en/dashboard.js';
import { employment } from './en/employment.js';
import { shell } from './en/shell.js';
import { verification } from './en/verification.js';
import { vocabulary } from './en/vocabulary.js';
import { webhooks } from './en/webhooks.js';
import type { MessageKey } from './zh.js';

export const en: Record<MessageKey, string> = {
  ...shell,
  ...vocabulary,
  ...applicationForm,
  ...applications,
  ...dashboard,
  ...admin,
  ...webhooks,
  ...employment,
  ...verification,
};
