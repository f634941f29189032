/**
 * WordPress's `_fields` query parameter, as `rest_filter_response_fields` applies it to every REST answer: the fields
 * named (split on commas and spaces, a dot naming a nested one) are kept, the rest dropped; a list's items are each
 * filtered. Without the parameter the answer is whole. Sources: the REST API's global parameters
 * (https://developer.wordpress.org/rest-api/using-the-rest-api/global-parameters/#_fields; since WordPress 4.9, nested
 * fields since 5.3, https://make.wordpress.org/core/2019/10/10/filtering-nested-rest-response-_fields-in-wp-5-3/), and
 * WooCommerce's orders answering it (woocommerce/woocommerce#21124, #28743; its mobile apps ask orders for `_fields`).
 */
export function fieldFilter(fieldsParam: string | null): ((value: unknown) => unknown) | undefined {
  const fields = (fieldsParam ?? '').split(/[\s,]+/).filter((field) => field !== '');
  if (fields.length === 0) return undefined;
  const accepted = acceptedFields(fields);
  return (value) => intersect(value, accepted);
}

/** `true` keeps a field whole; a nested tree keeps only the named parts of it. */
interface Accepted {
  [key: string]: true | Accepted;
}

/** As WordPress builds it: a parent already kept whole ignores its sub-fields named after it. */
function acceptedFields(fields: string[]): Accepted {
  const root: Accepted = {};
  for (const field of fields) {
    const parts = field.split('.');
    let level = root;
    let skipped = false;
    while (parts.length > 1) {
      const next = parts.shift()!;
      const existing = level[next];
      if (existing === true) {
        skipped = true;
        break;
      }
      level = level[next] = existing ?? {};
    }
    if (!skipped) level[parts[0]!] = true;
  }
  return root;
}

/**
 * `_rest_array_intersect_key_recursive`: an object keeps the accepted keys, recursing where a nested tree is given. A
 * list meets a nested tree by its indexes, as PHP arrays do, so `line_items.sku` keeps no line at all.
 */
function intersect(value: unknown, accepted: Accepted): unknown {
  if (Array.isArray(value)) {
    const kept: unknown[] = [];
    value.forEach((item, index) => {
      const rule = accepted[String(index)];
      if (rule !== undefined) kept.push(narrow(item, rule));
    });
    return kept;
  }
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const rule = accepted[key];
    if (rule !== undefined) out[key] = narrow(item, rule);
  }
  return out;
}

function narrow(value: unknown, rule: true | Accepted): unknown {
  return rule === true || !value || typeof value !== 'object' ? value : intersect(value, rule);
}
