import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey, type Messages } from './en';
import { zhCN } from './zh-CN';

export type { MessageKey } from './en';
export type Language = 'en' | 'zh-CN';
export const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];

const dictionaries: Record<Language, Messages> = { en, 'zh-CN': zhCN };
const STORAGE_KEY = 'radbridge.lang';

/**
 * What a string that no dictionary has shows instead (only reachable through a key computed at run time, since
 * static keys are checked by the compiler): the i18n smoke test looks for this mark on every page.
 */
export const MISSING_MARK = '⟦missing:';

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'zh-CN') return stored;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  lang: Language;
  setLang: (l: Language) => void;
  t: Translate;
  /** An ISO 8601 instant in the user's local time zone. */
  dateTime: (iso: string | null | undefined) => string;
  /** An ISO 8601 instant, compact (month, day, time), for dense tables. */
  shortDateTime: (iso: string | null | undefined) => string;
  /** A DICOM DA value (YYYYMMDD) as a local date. */
  dicomDate: (da: string | null | undefined) => string;
}

const Context = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((l: Language) => {
    localStorage.setItem(STORAGE_KEY, l);
    setLangState(l);
  }, []);
  const value = useMemo<I18n>(() => {
    const dict = dictionaries[lang];
    const t: Translate = (key, vars) => {
      const template: string | undefined = dict[key];
      if (template === undefined) return `${MISSING_MARK}${key}⟧`;
      return vars ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : template;
    };
    const dtf = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
    const df = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });
    const sdtf = new Intl.DateTimeFormat(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
    return {
      lang,
      setLang,
      t,
      dateTime: (iso) => {
        if (!iso) return '';
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? iso : dtf.format(d);
      },
      shortDateTime: (iso) => {
        if (!iso) return '';
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? iso : sdtf.format(d);
      },
      dicomDate: (da) => {
        const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da ?? '');
        return m ? df.format(new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : (da ?? '');
      },
    };
  }, [lang, setLang]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Context);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

/** SLA time left as [-]H:MM:SS (hours not wrapped at a day): the same in every language, and steady while it counts. */
export function formatDuration(seconds: number): string {
  const s = Math.abs(Math.trunc(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${seconds < 0 ? '−' : ''}${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}
