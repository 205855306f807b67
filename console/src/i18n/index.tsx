/**
 * The console's words: a catalog per language (`zh.ts` first, `en.ts` the same keys), the chosen one
 * kept in local storage. Validation messages follow: zod's own in the chosen language, and the
 * domain's own English messages through `validationMessages`.
 */
import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { en } from './en.js';
import type { Language } from './language.js';
import { type MessageKey, zh } from './zh.js';

export type { Language };
export const catalogs: Record<Language, Record<MessageKey, string>> = { zh, en };
export type { MessageKey };

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function translator(language: Language): Translate {
  const catalog = catalogs[language];
  return (key, values) => {
    const text = catalog[key] ?? key;
    return values ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`)) : text;
  };
}

interface LanguageContext {
  language: Language;
  setLanguage(language: Language): void;
  t: Translate;
}

const Context = createContext<LanguageContext>({ language: 'zh', setLanguage: () => undefined, t: translator('zh') });

const storageKey = 'console.language';

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() =>
    window.localStorage.getItem(storageKey) === 'en' ? 'en' : 'zh',
  );
  const value = useMemo(
    () => ({
      language,
      t: translator(language),
      setLanguage(next: Language) {
        window.localStorage.setItem(storageKey, next);
        document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
        setLanguageState(next);
      },
    }),
    [language],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useLanguage(): LanguageContext {
  return useContext(Context);
}

export function useT(): Translate {
  return useContext(Context).t;
}
