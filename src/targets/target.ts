import type { z } from "zod";
import type { AdoptionPlan } from "../model/adoption.js";
import type { DirectoryUser, Holders } from "../model/directory.js";
import type { Finding } from "../model/finding.js";
import type { StateResource } from "../engine/state-sync.js";
import type { LiveDirectory, LiveItem } from "../model/inventory.js";
import type { LimitContext } from "./limit-context.js";
import type { StackRecord } from "./record.js";

/**
 * The zod schemas a target contributes to rolecall's files: its stack settings
 * (`rolecall:targets.<name>`), its catalog section, what a role grants in it, and its share of
 * the compiled desired state. Model code composes them, in registry order, into the schemas
 * of catalog.yaml, roles, stack files and the DesiredState.
 */
export interface TargetSchemas {
  settings: z.ZodType;
  catalog: z.ZodType;
  entitlements: z.ZodType;
  projection: z.ZodType;
}

/**
 * A kind of catalog item people hold (a group, an administrator role): the same field name
 * in the catalog section, in a role's entitlements and in the projection, where each entry
 * carries its `members`. Items are recorded and compared as `kind:key`.
 */
export interface HeldKind {
  kind: string;
  field: string;
  /** Hands out administrator rights: a role granting it must be marked privileged. */
  administrative?: boolean;
  /**
   * The projection entry's field whose value is the live item's id, for a kind the live read
   * names otherwise than by display name (Okta admin roles: their role type). Absent: a live
   * item is the entry whose key is its externalId, or whose displayName is its display name.
   */
  liveId?: string;
}

/** An item a target's groups hold rather than its accounts (an AWS account assignment), as the projection declares it. */
export interface GroupHeldItem {
  /** Its catalog name (AWS: `<account>/<permission set>` keys). */
  key: string;
  /** The display name the live read gives it. */
  displayName: string;
  /** The catalog keys of the groups declared to hold it. */
  groups: string[];
}

/** What a target's projection is built from: the accounts every target holds, and who holds each of its items. */
export interface ProjectionContext<Catalog, Entitlements> {
  catalog: Catalog;
  users: DirectoryUser[];
  /** For one kind of this target's items: key → its holders with the roles that grant it. */
  holdersOf(pick: (entitlements: Entitlements) => string[] | undefined): (key: string) => Holders;
}

/** What the stack's last run left, for a target whose declaration depends on it. */
export interface PreviousOf<State> {
  /** The target's own reading of the exported state (see `readPrevious`). */
  state?: State;
  /** The stack's record of its last apply. */
  record?: StackRecord;
  /** What this run adopts in the target and does with its orphans (decided from the live inventory), this target's entries only. */
  adoption?: AdoptionPlan;
  /**
   * Given when the projection holds only some of the accounts (see `declaresPart`):
   * every account's id in the state, by key, to name the members it does not declare.
   */
  accountIds?: ReadonlyMap<string, string>;
  /**
   * Declared accounts whose id in `accountIds` the live read confirmed: a group names them by it
   * rather than by reference, so the state records no dependency of the group on them. Every
   * later targeted run walks those dependencies (Pulumi's dependents of each target: the number
   * of targets times every group's member list), which is what made it cost the company.
   */
  byId?: ReadonlySet<string>;
}

/** What a target is asked which of its resources a full run must declare (`Target.changedPart`). */
export interface ChangeContext<Projection, Connection> {
  projection: Projection;
  connection: Connection;
  /** The target's component in the state, and the resources directly under it. */
  component: StateResource;
  resources: readonly StateResource[];
  /** The target as read live moments ago (with `observed`), the read adoption was decided from. */
  live: LiveDirectory;
  /** What this run adopts in the target and does with its orphans. */
  adoption: AdoptionPlan;
  /**
   * The state was refreshed since the live read for every resource the run may touch: what it
   * still holds exists, though the live read may not have listed it.
   */
  refreshed: boolean;
}

/** The resources a run declaring only what changed must declare and target. */
export interface ChangedPart {
  /** Keys of the accounts and groups to declare, creates included. */
  accounts: ReadonlySet<string>;
  groups: ReadonlySet<string>;
  /** URNs to limit the run to: those declared, and those in the state to delete. */
  urns: readonly string[];
  /** In the state, not declared, and gone from the target already: a refresh drops them, nothing else may target them. */
  refreshOnly: readonly string[];
  /** How many of the target's resources in the state the run leaves out, unchanged. */
  unchanged: number;
  /** Whether the live read differs from the state for any of them: only a refresh makes the preview see it. */
  drift: boolean;
  /** Of `accounts`, those existing with the id the state gives them, which their groups may name them by (see `PreviousOf.byId`). */
  byId: ReadonlySet<string>;
}

/** How the engine reaches the targets: the project folder and the stack config's secrets. */
export interface ConnectContext {
  projectDir: string;
  /** The SCIM token from stack config (`rolecall:scimToken`, a secret), if set. */
  scimToken?: unknown;
  sandboxPort?: number;
  /** The target's share of the compiled desired state, when known (credentials may depend on what it hands out). */
  projection?: unknown;
}

/**
 * Declares a target's resources: one ComponentResource named after the target, each kind in
 * waves (waves.ts). Settles once the engine has answered every registration; the program waits
 * for it before it ends.
 */
export type Declare<Projection, Connection, State> = (name: string, projection: Projection, connection: Connection, previous: PreviousOf<State>) => Promise<void>;

/** What brownfield adoption knows of one stack's target: how the engine names an existing object, and what it cannot adopt in place. */
export interface AdoptionFacts {
  /** The engine's import ID of a live account or group; absent where the provider adopts the target's id itself (SCIM). */
  importId?(kind: "account" | "group", id: string): string;
  /** Attributes whose change replaces the account (AWS userName): adopting a live value that differs would delete and recreate it. */
  replacesOn?: readonly (keyof DirectoryUser)[];
  /** The userName the target's account resource declares for an account, where it is not the directory's (AWS: the worker ID). */
  userName?(user: DirectoryUser): string;
}

/** A target's {@link AdoptionFacts}, its import ID given the stack's settings for it (an AWS ID names the identity store). */
export interface TargetAdoption<Settings = unknown> {
  importId?(kind: "account" | "group", id: string, settings: Settings): string;
  replacesOn?: readonly (keyof DirectoryUser)[];
  userName?(user: DirectoryUser, settings: Settings): string;
  /**
   * The engine's import ID of account `member`'s existing holding of live item `item` (a group
   * membership, an Entra ID role assignment), where adding it again fails (Entra ID, Identity
   * Center): the holdings of adopted accounts and groups are imported. Absent where adding an
   * existing member is a no-op (Okta, SCIM); undefined when the live read does not give what
   * the ID needs, which refuses the run.
   */
  membershipImportId?(item: LiveItem, member: string, settings: Settings): string | undefined;
  /**
   * Whether adopting the account as `user` sets `field` (an attribute adoption compares: userName,
   * externalId, email, displayName, active), for a target that leaves some alone; absent: every
   * one. The plan lists only the changes this says land.
   */
  sets?(field: string, user: DirectoryUser): boolean;
}

type Infer<S extends TargetSchemas, K extends keyof TargetSchemas> = z.infer<S[K]>;

/**
 * One target system, everything rolecall knows of it behind one interface. Each target
 * folder exports one of these and src/targets/registry.ts lists it: that list is the only
 * place outside the folder a new target is named. What runs in compile (schemas,
 * projection, items) stays pure; the engine-side parts (components, connections) are loaded
 * only when a stack runs.
 */
export interface Target<N extends string = string, S extends TargetSchemas = TargetSchemas, Connection = unknown, State = unknown> {
  readonly name: N;
  readonly schemas: S;
  /** The Pulumi type token of the target's component: an engine step belongs to the target whose component is in its URN. */
  readonly componentType: string;
  /** The provider packages whose plugins the engine must find; empty for a provider served by rolecall itself. */
  readonly packages: readonly string[];
  readonly held: readonly HeldKind[];
  /**
   * Items held through groups (live items with `groups`) that the projection declares per group,
   * not per holder: their live kind, and each declared one. Inventory judges access through a
   * group by it; absent: the target declares no item its groups hold.
   */
  readonly groupHeld?: { readonly kind: string; declared(projection: Infer<S, "projection">): GroupHeldItem[] };
  /** What the plan model needs: the account resource's type (its steps are the account's own) and the fields that enable it. */
  readonly plan: {
    readonly accountType: string;
    readonly enabledFields: readonly string[];
    /** The resource type that carries policy's action on an orphan account, for targets with orphanActions. */
    readonly orphanType?: string;
    /** Per resource type holding a membership list (member-list.ts), the property with the account ids: drift names who was added or removed. */
    readonly memberFields?: Readonly<Record<string, string>>;
  };
  /**
   * What policy.orphans may tell this target to do with an account nobody owns, beyond
   * reporting it: only what its component declares (previewed, guarded, in the evidence).
   */
  readonly orphanActions?: readonly ("disable" | "remove")[];
  /** How linked accounts and groups are adopted; absent: the target cannot adopt yet, and a plan that would is refused. */
  readonly adoption?: TargetAdoption<Infer<S, "settings">>;
  /**
   * Its component declares correctly from a projection holding only some of its accounts and
   * groups (projection `users` and `groups`, resources named by key), each item whole: a member
   * it does not declare is named by the id the state gives it (`PreviousOf.accountIds`), and it
   * has no per-holder resource of that member to declare. The leaver fast path then declares
   * only the leavers' accounts and the groups listing them, and leaves the rest of the state
   * undeclared and untargeted (kept as it is), so its preview and update cost what the leavers
   * hold rather than the company. Absent: the fast path declares the target whole.
   */
  readonly declaresPart?: boolean;
  /**
   * For a full plan or apply of a target that `declaresPart`: which accounts and groups differ
   * between the desired projection, the state and the live read, judged in the provider's own
   * terms (its mapping of a live object and its diff). Everything else is left undeclared and
   * untargeted, so a run costs what changed rather than the company. Undefined whenever it
   * cannot tell for certain: the run then declares the target whole. Pure.
   */
  changedPart?(ctx: ChangeContext<Infer<S, "projection">, Connection>): ChangedPart | undefined;
  /** The provider converges when a killed update is run again from the state before it (see checkpoints.ts). */
  readonly convergesWithoutCheckpoints: boolean;
  /** The most engine operations the target's API limits allow at once; undefined when it sets none. */
  readonly engineParallelism?: number;
  /** Settings `validate` checks a catalog against when no stack names the target. */
  readonly catalogDefaultSettings: object;

  /** The target's share of the desired state. Pure. */
  project(ctx: ProjectionContext<Infer<S, "catalog">, Infer<S, "entitlements">>): Infer<S, "projection">;
  /** The projection a target switched on in a stack whose catalog does not describe it. */
  emptyProjection(users: DirectoryUser[]): Infer<S, "projection">;
  /**
   * Drops from a narrowed projection (the leaver fast path keeps only what was applied) what
   * refers to items it no longer holds. The identity for targets whose items refer to nothing.
   */
  withoutDangling(projection: Infer<S, "projection">): Infer<S, "projection">;
  /** What is wrong inside the target's catalog section (a key it refers to that it does not declare); `at` places a path under the section. */
  catalogFindings?(catalog: Infer<S, "catalog">, at: (path: string) => { file: string; line?: number }): Finding[];
  /** What the target would refuse, known before the engine runs: errors at the file and line the user edits. */
  limits(ctx: LimitContext<Infer<S, "settings">>): Finding[];
  /** How to reach the target; throws an EnvironmentError saying what to set when it cannot. */
  connect(settings: Infer<S, "settings">, ctx: ConnectContext): Promise<Connection>;
  /**
   * Secrets its provider takes from the engine's environment rather than from its configuration,
   * which the stack's state keeps (and whoever can decrypt the state would read): the variables
   * to set for the engine, and the connection to declare without them. Absent: none.
   */
  handOff?(connection: Connection): { env: Record<string, string>; connection: Connection };
  /** Reads the target's part of an exported deployment, for targets whose declaration depends on the last run. */
  readPrevious?(deployment: unknown): State;
  /** Reads every account and held item the target holds now, paged to the end; absent where rolecall cannot read the target yet. */
  readInventory?(connection: Connection): Promise<LiveDirectory>;
  /** Loads the component (and its provider package) and returns how to declare it. */
  loadDeclare(): Promise<Declare<Infer<S, "projection">, Connection, State>>;
}

/** A registered target seen without its own types, for code that treats every target alike. */
export type AnyTarget = Target<string, TargetSchemas, unknown, unknown>;

/** Keeps a target's literal name and schema types for the registry's composed schemas. */
export function defineTarget<const N extends string, S extends TargetSchemas, C, P>(target: Target<N, S, C, P>): Target<N, S, C, P> {
  return target;
}
