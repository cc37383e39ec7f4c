// The subset of the RFC 7643 core schemas this provider reads and writes. Service providers
// return more (meta, groups, extensions); those attributes pass through untouched.

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export interface ScimEmail {
  value: string;
  type?: string;
  primary?: boolean;
}

export interface ScimUser {
  schemas: string[];
  id?: string;
  userName: string;
  externalId?: string;
  name?: { givenName?: string; familyName?: string; formatted?: string };
  displayName?: string;
  emails?: ScimEmail[];
  // Entra sends booleans as "True"/"False" strings; readers must accept both.
  active?: boolean | string;
  title?: string;
  [attribute: string]: unknown;
}

export interface ScimMember {
  value: string;
  type?: string;
  display?: string;
}

export interface ScimGroup {
  schemas: string[];
  id?: string;
  displayName: string;
  externalId?: string;
  members?: ScimMember[];
  [attribute: string]: unknown;
}

export interface PatchOperation {
  op: "add" | "remove" | "replace";
  path?: string;
  value?: unknown;
}

export interface PatchRequest {
  schemas: [typeof PATCH_OP_SCHEMA];
  Operations: PatchOperation[];
}
