import * as pulumi from "@pulumi/pulumi";

/** The package of rolecall's SCIM provider (bin/pulumi-resource-rolecall-scim). */
export const SCIM_PACKAGE = "rolecall-scim";

export interface ScimProviderArgs {
  /** Base URL of the SCIM 2.0 service provider, e.g. http://127.0.0.1:7643/scim/v2. */
  endpoint: pulumi.Input<string>;
  /**
   * Bearer token, stored in the state as a Pulumi secret. rolecall's CLI leaves it out and hands
   * it over through the engine's environment instead (provider/config.ts, TOKEN_ENV).
   */
  token?: pulumi.Input<string>;
}

/** One configured connection to a SCIM service provider. */
export class ScimProvider extends pulumi.ProviderResource {
  constructor(name: string, args: ScimProviderArgs, opts?: pulumi.ResourceOptions) {
    super(SCIM_PACKAGE, name, { endpoint: args.endpoint, ...(args.token !== undefined ? { token: pulumi.secret(args.token) } : {}) }, opts);
  }
}

export interface ScimUserArgs {
  userName: pulumi.Input<string>;
  /** The HR worker ID: how an existing account is recognised as ours. */
  externalId: pulumi.Input<string>;
  givenName: pulumi.Input<string>;
  familyName: pulumi.Input<string>;
  displayName: pulumi.Input<string>;
  email: pulumi.Input<string>;
  active: pulumi.Input<boolean>;
  title?: pulumi.Input<string>;
  /** Brownfield adoption: the SCIM id of the existing account the create takes over, and its userName when matched. */
  adoptId?: pulumi.Input<string>;
  adoptUserName?: pulumi.Input<string>;
}

/** A SCIM User; its resource id is the service provider's id. */
export class ScimUser extends pulumi.CustomResource {
  declare readonly scimId: pulumi.Output<string>;
  declare readonly userName: pulumi.Output<string>;

  constructor(name: string, args: ScimUserArgs, opts?: pulumi.CustomResourceOptions) {
    super(`${SCIM_PACKAGE}:index:User`, name, { ...args, scimId: undefined }, opts);
  }
}

export interface ScimGroupArgs {
  displayName: pulumi.Input<string>;
  /** The catalog key. */
  externalId: pulumi.Input<string>;
  /** SCIM ids of the member users: the whole membership, declared in one place. */
  members: pulumi.Input<pulumi.Input<string>[]>;
  /** Brownfield adoption: the SCIM id of the existing group the create takes over, and its displayName when matched. */
  adoptId?: pulumi.Input<string>;
  adoptDisplayName?: pulumi.Input<string>;
}

/** A SCIM Group with its complete membership. */
export class ScimGroup extends pulumi.CustomResource {
  declare readonly scimId: pulumi.Output<string>;

  constructor(name: string, args: ScimGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super(`${SCIM_PACKAGE}:index:Group`, name, { ...args, scimId: undefined }, opts);
  }
}

export interface ScimOrphanAccountArgs {
  accountId: pulumi.Input<string>;
  userName: pulumi.Input<string>;
  externalId?: pulumi.Input<string>;
  action: pulumi.Input<"disable" | "remove">;
}

/** Policy's action on an account nobody owns: the provider disables or deletes it by id, once it read back the same account. */
export class ScimOrphanAccount extends pulumi.CustomResource {
  constructor(name: string, args: ScimOrphanAccountArgs, opts?: pulumi.CustomResourceOptions) {
    super(`${SCIM_PACKAGE}:index:OrphanAccount`, name, { ...args }, opts);
  }
}
