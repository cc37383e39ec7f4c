import type { CheckResult } from "./check.js";
import type { PropertyDiffs } from "./diff.js";
import type { ProviderLog } from "./log.js";
import { containsUnknown, type ValueMap } from "./values.js";

export interface Dependencies<Client> {
  client: Client;
  log: ProviderLog;
}

/**
 * One resource type's behaviour behind the gRPC methods. Inputs arrive already unwrapped
 * (no secret or unknown sentinels) for create and update; the server answers previews itself.
 */
export interface ResourceType<Client> {
  check(news: ValueMap): CheckResult;
  diff(olds: ValueMap, news: ValueMap): PropertyDiffs;
  create(deps: Dependencies<Client>, inputs: ValueMap, urn: string): Promise<{ id: string; outputs: ValueMap }>;
  /** Null when the resource no longer exists. `state`: the properties the engine holds for it. */
  read(deps: Dependencies<Client>, id: string, state?: ValueMap): Promise<{ outputs: ValueMap; inputs: ValueMap } | null>;
  update(deps: Dependencies<Client>, id: string, olds: ValueMap, news: ValueMap): Promise<ValueMap>;
  delete(deps: Dependencies<Client>, id: string): Promise<void>;
}

/** Typed inputs for an operation; the engine only sends inputs that passed Check. */
export function checkedInputs<T>(check: (news: ValueMap) => CheckResult, news: ValueMap): T {
  const { inputs, failures } = check(news);
  if (failures.length > 0) {
    throw new Error(`invalid inputs: ${failures.map((f) => `${f.property} ${f.reason}`).join("; ")}`);
  }
  if (containsUnknown(inputs)) throw new Error("inputs still contain unknown values outside a preview");
  return inputs as T;
}

/** Read returns the live state as inputs too, so a refresh followed by `up` sees real drift. */
export function withoutId<T extends { scimId: string }>(state: T): Omit<T, "scimId"> {
  const { scimId: _id, ...rest } = state;
  return rest;
}
