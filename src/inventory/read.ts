import type { DesiredState } from "../model/desired-state.js";
import type { Finding } from "../model/finding.js";
import type { CorrelationRule, InventoryDocument, LiveRead } from "../model/inventory.js";
import type { StackRecord } from "../targets/record.js";
import { ALL_TARGETS } from "../targets/registry.js";
import { correlate } from "./correlate.js";

export interface InventoryInput {
  stack: string;
  desired: DesiredState;
  record?: Pick<StackRecord, "accounts" | "holdings">;
  rules: readonly CorrelationRule[];
  /** Each enabled target's connection, by name (engine/connections.ts). */
  connections: Record<string, unknown>;
  now?: () => Date;
}

/**
 * Reads every enabled target live and correlates what it holds with the HR roster. A target
 * whose read side rolecall does not have yet is listed as unread, never as empty: an empty
 * list would say "no orphans" about a directory nobody looked at.
 */
export async function readInventory(input: InventoryInput): Promise<{ document: InventoryDocument; findings: Finding[]; live: LiveRead[] }> {
  const now = input.now ?? (() => new Date());
  const document: InventoryDocument = { schemaVersion: 1, stack: input.stack, asOf: input.desired.asOf, correlation: [...input.rules], targets: [], unread: [] };
  const findings: Finding[] = [];
  // What was read, as read: the offboarding proof judges the same read the inventory reports.
  const read: LiveRead[] = [];
  for (const target of ALL_TARGETS) {
    const connection = input.connections[target.name];
    if (connection === undefined) continue;
    if (!target.readInventory) {
      document.unread.push({ target: target.name, reason: `rolecall cannot read ${target.name} live yet` });
      continue;
    }
    const live = await target.readInventory(connection);
    const readAt = now().toISOString();
    read.push({ target: target.name, directory: live, readAt });
    const result = correlate({ target: target.name, live, desired: input.desired, record: input.record, rules: input.rules, held: target.held, groupHeld: target.groupHeld, readAt });
    document.targets.push(result.inventory);
    findings.push(...result.findings);
  }
  return { document, findings, live: read };
}
