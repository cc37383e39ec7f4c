/**
 * A SCIM `eq` filter on a string attribute. RFC 7644 §3.4.2.2 makes the comparison value a
 * JSON string, so JSON escaping is exactly the quoting it needs: a `"` or `\` in a userName
 * cannot end the literal early and widen the filter.
 */
export function eqFilter(attribute: string, value: string): string {
  return `${attribute} eq ${JSON.stringify(value)}`;
}
