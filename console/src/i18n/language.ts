/** The console's languages: Chinese first. */
export type Language = 'zh' | 'en';
