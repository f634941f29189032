import type { HtmlEscapedString } from 'hono/utils/html';

/** Hono's escaping templates: every interpolated value is escaped unless it is itself an `html` result. */
export { html, raw } from 'hono/html';

/** What an `html` template returns (synchronous here: no view awaits anything). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;
