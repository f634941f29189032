import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { parseJsonBytes } from '../src/http/index.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What `parseJsonBytes` must always answer: the value, or the error, of the plain reading. */
function plainReading(bytes: Uint8Array): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(decoder.decode(bytes)) as unknown };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

function ourReading(bytes: Uint8Array): { value: unknown } | { error: string } {
  try {
    return { value: parseJsonBytes(bytes) };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/** An order-like element of about 1 KB, with what makes cutting hard: brackets, quotes and backslashes in strings. */
const element = (id: number) => ({
  id,
  status: 'processing',
  note: 'a } closes, a ] too, a "quoted" {word} and a backslash \\ before "quote\\"',
  // An escaped quote right before brackets: a cut that took the quote for a string's end would miscount them.
  mark: '"}]{[',
  billing: { first_name: 'João', last_name: 'Conceição', address_1: 'Rua [São] Paulo, {123}' },
  line_items: [
    { id: id * 10, name: 'Camiseta Algodão', meta_data: [], quantity: 2, price: 19.9 },
    { id: id * 10 + 1, name: 'Caneca', meta_data: [{ key: 'cor', value: ['azul', { tom: '}' }] }], quantity: 1, price: 35 },
  ],
  filler: 'x'.repeat(600),
});
/** Large enough that `parseJsonBytes` cuts it by element (the cut starts at 64 KB). */
const largeArray = (count = 120) => Array.from({ length: count }, (_, index) => element(index + 1));

describe('parseJsonBytes', () => {
  it('reads a large array element by element to the same value as JSON.parse, whatever the whitespace', () => {
    const value = largeArray();
    for (const text of [JSON.stringify(value), JSON.stringify(value, null, 2), ` \r\n\t${JSON.stringify(value, null, '\t')}\n `]) {
      const bytes = encoder.encode(text);
      expect(bytes.length).toBeGreaterThan(64 * 1024);
      const read = parseJsonBytes(bytes);
      expect(read).toStrictEqual(value);
      expect(read).toStrictEqual(JSON.parse(text));
    }
  });

  it('reads small bodies, empty arrays, objects, arrays of primitives and nested arrays as JSON.parse does', () => {
    const cases = [
      '[]',
      ' [ ] ',
      '{"a":[1,2]}',
      '"text"',
      '42',
      'null',
      `[${Array.from({ length: 20_000 }, (_, index) => index).join(',')}]`,
      `[[1,[2]],${JSON.stringify(largeArray(80))},{"x":"]"}]`,
      JSON.stringify({ orders: largeArray() }),
      `[${JSON.stringify(largeArray(70)).slice(1, -1)},"a string among objects"]`,
    ];
    for (const text of cases) expect(ourReading(encoder.encode(text))).toStrictEqual(plainReading(encoder.encode(text)));
  });

  it('refuses what JSON.parse refuses, with the same error', () => {
    const body = JSON.stringify(largeArray());
    const broken = [
      `${body.slice(0, -1)}`, // the array never closes
      `${body}]`, // one bracket too many
      `${body} trailing`,
      `${body.slice(0, -1)},]`, // a trailing comma
      body.replace('},{', '} {'), // a missing comma between elements
      body.replace('},{', '},,{'),
      body.replace('"status"', 'status'), // an unquoted key inside one element
      body.replace(':"processing"', ':"proce\nssing"'), // a raw line break inside a string
      body.replace('{"id":2,', '{"id":2,]'), // brackets that do not pair
      `\uFEFF${body}`, // a byte order mark, which TextDecoder drops
      body.slice(0, body.length / 2), // cut in the middle of a string
    ];
    for (const text of broken) {
      const bytes = encoder.encode(text);
      expect(ourReading(bytes)).toStrictEqual(plainReading(bytes));
    }
    expect(() => parseJsonBytes(encoder.encode(`${body.slice(0, -1)},]`))).toThrow(SyntaxError);
  });

  it('decodes invalid UTF-8 inside an element as TextDecoder does (replacement characters)', () => {
    const text = JSON.stringify(largeArray());
    const bytes = encoder.encode(text);
    const at = Buffer.from(bytes).indexOf('Caneca') + 2;
    const damaged = new Uint8Array([...bytes.subarray(0, at), 0xc3, 0xff, ...bytes.subarray(at)]);
    const read = ourReading(damaged);
    expect(read).toStrictEqual(plainReading(damaged));
    expect(JSON.stringify(read).includes('Ca\uFFFD\uFFFDneca')).toBe(true);
  });

  it('parses a large array element by element, never as one large string (the plain reading gives the same value)', () => {
    // Values alone cannot tell the cut from the plain reading it falls back to: the strings JSON.parse saw can.
    const value = largeArray(400);
    const text = JSON.stringify(value);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(parseJsonBytes(encoder.encode(text))).toStrictEqual(value);
      const parsed = parse.mock.calls.map(([element]) => element as string);
      expect(parsed).toHaveLength(400);
      expect(parsed.join(',')).toBe(text.slice(1, -1));
    } finally {
      parse.mockRestore();
    }
  });

  it('answers exactly as JSON.parse(TextDecoder.decode) for generated arrays and their corruptions', () => {
    // Generated values padded with large elements past the 64 KB cut, then, half the time, one byte changed, added
    // or removed: the value or the error must be the plain reading's.
    const padding = JSON.stringify(largeArray(70)).slice(1, -1);
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 8 }),
        fc.constantFrom('', ' ', '\n  '),
        fc.option(fc.tuple(fc.nat(), fc.constantFrom('replace', 'insert', 'delete'), fc.constantFrom(...'{}[]",:\\ 0an-\u00e3'.split(''))), { nil: undefined }),
        (values, space, corruption) => {
          const generated = JSON.stringify(values, null, space);
          const text = generated === '[]' ? `[${padding}]` : `[${padding},${generated.slice(1)}`;
          let bytes = encoder.encode(text);
          if (corruption) {
            const [position, kind, character] = corruption;
            const at = position % bytes.length;
            const inserted = encoder.encode(character);
            const keepFrom = kind === 'insert' ? at : at + 1;
            const added = kind === 'delete' ? new Uint8Array(0) : inserted;
            const changed = new Uint8Array(at + added.length + bytes.length - keepFrom);
            changed.set(bytes.subarray(0, at));
            changed.set(added, at);
            changed.set(bytes.subarray(keepFrom), at + added.length);
            bytes = changed;
          }
          expect(ourReading(bytes)).toStrictEqual(plainReading(bytes));
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);
});
