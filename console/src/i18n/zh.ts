/**
 * 简体中文: the console's first language and the catalog every other language must match key for
 * key. One file per area of the console (`zh/…`), merged here.
 */
import { admin } from './zh/admin.js';
import { applicationForm } from './zh/application-form.js';
import { applications } from './zh/applications.js';
import { dashboard } from './zh/dashboard.js';
import { employment } from './zh/employment.js';
import { shell } from './zh/shell.js';
import { verification } from './zh/verification.js';
import { vocabulary } from './zh/vocabulary.js';
import { webhooks } from './zh/webhooks.js';

export const zh = {
  ...shell,
  ...vocabulary,
  ...applicationForm,
  ...applications,
  ...dashboard,
  ...admin,
  ...webhooks,
  ...employment,
  ...verification,
} as const;

export type MessageKey = keyof typeof zh;
