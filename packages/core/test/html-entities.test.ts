import { describe, expect, it } from 'vitest';
import { decodeHtmlEntities } from '../src/index.js';

describe('decodeHtmlEntities', () => {
  it.each([
    ['Woo Album #4 &ndash; Woo Album', 'Woo Album #4 – Woo Album'],
    ['&lt;Variable&gt; Fun Pens! - Orange', '<Variable> Fun Pens! - Orange'],
    ['632 O&#8217;Conner Skyway', '632 O’Conner Skyway'],
    ['Mix &amp; Match &#x2014; kit', 'Mix & Match — kit'],
    ['Marília', 'Marília'],
  ])('decodes %s', (input, output) => {
    expect(decodeHtmlEntities(input)).toBe(output);
  });

  it('leaves unknown names, bare ampersands and invalid code points as written', () => {
    expect(decodeHtmlEntities('P&D &unknownthing; a & b &#55296; &#0;')).toBe('P&D &unknownthing; a & b &#55296; &#0;');
  });
});
