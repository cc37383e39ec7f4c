import type { Worker } from "../model/person.js";
import type { Attributes } from "./conditions.js";

/**
 * What the rules see of one worker: the person fields plus the derived `reportsTo` and
 * `isManager`. Values are read one by one, and the whole record is made only when a rule is
 * actually evaluated (most people share a list of held roles someone alike already earned),
 * instead of copying every worker into a record of their own.
 */
export class WorkerAttributes {
  private record: Attributes | undefined;

  constructor(
    private readonly worker: Worker,
    private readonly reportsTo: readonly string[],
    private readonly isManager: boolean,
  ) {}

  value(name: string): Attributes[string] {
    if (name === "reportsTo") return this.reportsTo;
    if (name === "isManager") return this.isManager;
    return (this.worker as Record<string, string | undefined>)[name];
  }

  all(): Attributes {
    return (this.record ??= { ...this.worker, reportsTo: this.reportsTo, isManager: this.isManager });
  }
}
