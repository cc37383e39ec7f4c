import SCIMMY from "scimmy";

type Definition = typeof SCIMMY.Schemas.User.definition;
type Resource = InstanceType<typeof SCIMMY.Types.Resource>;

/**
 * The resources a SCIM filter selects, with RFC 7643 case rules.
 *
 * scimmy's Filter compares `eq` with ===, but most string attributes (userName, displayName,
 * emails.value, ...) are caseExact:false. Both the filter's expected values and the resources'
 * values are lower-cased for exactly those attributes, as the schema definition declares them,
 * and scimmy's matcher then runs on the folded copies.
 */
export function matchFilter<T extends object>(
  filter: InstanceType<typeof SCIMMY.Types.Filter>,
  resources: readonly T[],
  definition: Definition,
): T[] {
  const caseInsensitive = caseInsensitivePaths(definition);
  const branches = (JSON.parse(JSON.stringify(filter)) as unknown[]).map(
    (branch) => new SCIMMY.Types.Filter(foldExpressions(branch, "", caseInsensitive)),
  );
  return resources.filter((resource) => {
    const view = foldValues(resource, "", caseInsensitive);
    return branches.some((branch) => matches(branch, view));
  });
}

/**
 * scimmy's matcher throws when a resource lacks a complex attribute the expression dives into
 * (name.givenName on a user without a name, emails.value on one without emails), which would
 * fail the whole request. Such a resource simply does not match that `or` branch.
 */
function matches(branch: InstanceType<typeof SCIMMY.Types.Filter>, view: unknown): boolean {
  try {
    return branch.match([view]).length > 0;
  } catch {
    return false;
  }
}

function caseInsensitivePaths(definition: Definition): (path: string) => boolean {
  const known = new Map<string, boolean>();
  return (path) => {
    let answer = known.get(path);
    if (answer === undefined) {
      answer = isCaseInsensitiveString(definition, path);
      known.set(path, answer);
    }
    return answer;
  };
}

function isCaseInsensitiveString(definition: Definition, path: string): boolean {
  try {
    const attribute = definition.attribute(path) as { type?: unknown; config?: { caseExact?: boolean } };
    return String(attribute.type) === "string" && attribute.config?.caseExact === false;
  } catch {
    return false;
  }
}

/** Filter expressions are nested objects whose leaves are arrays like ["eq", "x"] or ["not", "eq", "x"]. */
function foldExpressions(node: unknown, path: string, caseInsensitive: (path: string) => boolean): unknown {
  if (Array.isArray(node)) {
    return node.map((item) =>
      caseInsensitive(path) ? lowerStrings(item) : foldExpressions(item, path, caseInsensitive),
    );
  }
  if (node !== null && typeof node === "object") {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, foldExpressions(value, join(path, key), caseInsensitive)]),
    );
  }
  return node;
}

function lowerStrings(value: unknown): unknown {
  if (typeof value === "string") return value.toLowerCase();
  if (Array.isArray(value)) return value.map(lowerStrings);
  return value;
}

function foldValues(value: unknown, path: string, caseInsensitive: (path: string) => boolean): unknown {
  if (typeof value === "string") return path && caseInsensitive(path) ? value.toLowerCase() : value;
  if (Array.isArray(value)) return value.map((item) => foldValues(item, path, caseInsensitive));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, foldValues(item, join(path, key), caseInsensitive)]),
    );
  }
  return value;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * Prepares a list result for scimmy's ListResponse, which does the slicing itself but gets two
 * things wrong on its own: a startIndex past the end returns every resource instead of none, and
 * itemsPerPage echoes the requested count instead of what the page holds. Setting totalResults
 * and itemsPerPage on the request's constraints (ListResponse reads them from there) fixes both.
 * Without a count, pages hold maxResults from the ServiceProviderConfig, which also caps count.
 */
export function paginate<T>(resource: Resource, matches: T[]): T[] {
  const maxResults = SCIMMY.Config.get().filter.maxResults as number;
  const startIndex = resource.constraints?.startIndex ?? 1;
  const count = Math.min(resource.constraints?.count ?? maxResults, maxResults);
  const itemsPerPage = Math.max(0, Math.min(count, matches.length - startIndex + 1));
  resource.constraints = { ...resource.constraints, count, itemsPerPage, totalResults: matches.length } as Resource["constraints"];
  return startIndex > matches.length ? [] : matches;
}
