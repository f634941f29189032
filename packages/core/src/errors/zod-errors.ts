import type * as z from 'zod';
import { ValidationError, type FieldIssue } from './errors.js';

/** Converts a ZodError into a ValidationError whose `path` names the offending field. */
export function fromZodError(error: z.ZodError, subject?: string): ValidationError {
  const issues: FieldIssue[] = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  return new ValidationError(issues, { subject, cause: error });
}

/** `schema.safeParse` that throws a ValidationError naming the field. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, subject?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw fromZodError(result.error, subject);
  return result.data;
}
