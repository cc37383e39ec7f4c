/**
 * A membership list as the engine holds it (a target's `plan.memberFields`): a list of strings,
 * each holding one id or several, one per line. The SCIM target packs a group's known members
 * into one string: the engine, the SDKs and the event log each pay per list element (the
 * protobuf values, deep copies, JSON), and at 10,000 people 200 groups listed 300,000 of them in
 * every command that touched the groups. An id still unknown (an account the run creates) is an
 * element of its own, so a preview still names every known member.
 */

const SEPARATOR = "\n";

/** One element holding these ids, sorted and unique; none for an empty list. */
export function packIds(ids: Iterable<string>): string[] {
  const sorted = [...new Set(ids)].sort();
  return sorted.length === 0 ? [] : [sorted.join(SEPARATOR)];
}

/** Every id a list holds, packed or one per element; what is not a string (a secret, a sentinel object) holds none. */
export function listedIds(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((element) => (typeof element === "string" ? idsIn(element).filter((id) => id !== "") : []));
}

/** The ids one element holds; an empty one where the element has an empty line (or is empty). */
export function idsIn(element: string): string[] {
  return element.includes(SEPARATOR) ? element.split(SEPARATOR) : [element];
}

/** An id that cannot be packed: it would read back as two. */
export function unpackable(id: string): boolean {
  return id.includes(SEPARATOR);
}
