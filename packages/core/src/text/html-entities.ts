/**
 * Platforms built on WordPress (and some others) send product and customer names HTML-escaped: "Camiseta &ndash; Azul",
 * "&lt;Kit&gt;", "O&#8217;Neill". People and Mainô need the text itself, so names are decoded once, where they enter.
 */
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '\u2013',
  mdash: '\u2014',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  hellip: '\u2026',
  times: '\u00d7',
  deg: '\u00b0',
  ordm: '\u00ba',
  ordf: '\u00aa',
  reg: '\u00ae',
  copy: '\u00a9',
  trade: '\u2122',
  euro: '\u20ac',
};

const ENTITY = /&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/g;

/** Decodes numeric entities and the common named ones; an unknown name is left as written rather than guessed. */
export function decodeHtmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED[body] ?? NAMED[body.toLowerCase()] ?? whole;
  });
}
