import * as z from 'zod';

export interface CompiledSchema<S extends z.ZodType> {
  /** The schema as written, for composition and introspection. */
  readonly schema: S;
  safeParse(input: unknown): z.ZodSafeParseResult<z.output<S>>;
  /**
   * Whether `safeParse` would succeed, without building the parsed value: for a schema without transforms or defaults,
   * whose input can then be read as it is. Call `safeParse` for the issues when it is false.
   */
  validate(input: unknown): input is z.input<S>;
}

/**
 * A schema for a hot path (every order of a listing): zod's ahead-of-time compiled parser (`z.compile`), built on the
 * first parse. Valid input takes one generated function instead of zod's walk over every node, which allocates a
 * result object per field and takes thousands of calls to warm up; invalid input falls back to the schema's own
 * parser, so the issues, paths and messages are the ones the schema gives. When the application set
 * `z.config({ jitless: true })` (no `new Function`, e.g. under a strict CSP), the schema's own parser is used.
 */
export function compiledSchema<S extends z.ZodType>(schema: S): CompiledSchema<S> {
  let fast: S | undefined;
  // z.compile never throws: a schema it cannot model comes back as is.
  const current = (): S => (z.config().jitless ? schema : (fast ??= z.compile(schema)));
  return {
    schema,
    safeParse: (input) => current().safeParse(input) as z.ZodSafeParseResult<z.output<S>>,
    validate: (input): input is z.input<S> => current().validate(input),
  };
}
