/** Operators read Portuguese, like the dashboard; `--lang en` (or CONECTA_LANG=en) switches every message to English. */
export type Lang = 'pt' | 'en';

export type Say = (pt: string, en: string) => string;

export function sayIn(lang: Lang): Say {
  return (pt, en) => (lang === 'en' ? en : pt);
}

export function parseLang(value: string | undefined): Lang | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'pt' || lower === 'pt-br' || lower === 'pt_br') return 'pt';
  if (lower === 'en' || lower.startsWith('en-') || lower.startsWith('en_')) return 'en';
  return undefined;
}

/** Quantities in milli-units as people write them: 2, 1,5 (pt) or 1.5 (en). */
export function units(milli: number, lang: Lang): string {
  const text = String(milli / 1000);
  return lang === 'pt' ? text.replace('.', ',') : text;
}

/** Integer cents as money: R$ 12,34 (pt) or R$ 12.34 (en). */
export function money(cents: number, lang: Lang): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = String(Math.floor(abs / 100));
  const fraction = String(abs % 100).padStart(2, '0');
  return `${sign}R$ ${whole}${lang === 'pt' ? ',' : '.'}${fraction}`;
}

/** `1 página`, `2 páginas`: the word in the singular or the plural after a count. */
export function count(value: number, one: string, many: string): string {
  return `${value} ${value === 1 ? one : many}`;
}
