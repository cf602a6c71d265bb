/** The two languages of every user-facing text, and a text in both (Chinese first). */
export type Lang = 'zh' | 'en';

/** A user-facing text in both languages, Chinese first. */
export interface Text {
  zh: string;
  en: string;
}
