/**
 * English messages for every zod/mini schema in the process. zod/mini loads no locale of its own
 * (classic zod did), so without this every issue would read "Invalid input"; with it, a field
 * error says what was wrong ("Too small: expected string to have >=1 characters"), as before.
 * Import it for its effect from any module that defines schemas or turns issues into messages;
 * the setting is global, and only the English locale (≈ 3 KB) is bundled.
 */

import { en } from 'zod/locales';
import { config } from 'zod/mini';

/** Sets zod's messages to English; runs once when this module is first imported. */
export function useEnglishMessages(): void {
  config(en());
}

useEnglishMessages();
