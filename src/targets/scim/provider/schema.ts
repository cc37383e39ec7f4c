export const PACKAGE_NAME = "rolecall-scim";
export const USER_TYPE = `${PACKAGE_NAME}:index:User`;
export const GROUP_TYPE = `${PACKAGE_NAME}:index:Group`;
export const ORPHAN_TYPE = `${PACKAGE_NAME}:index:OrphanAccount`;

const string = (description: string) => ({ type: "string", description });

const userInputs = {
  userName: string("Login name; unique in the directory. Renaming updates the account in place."),
  externalId: string("The HR worker ID: the immutable key of the person."),
  givenName: string("Given (first) name."),
  familyName: string("Family (last) name."),
  displayName: string("Name shown to other users."),
  email: string("Work email, sent as the primary `work` email."),
  active: { type: "boolean", description: "False disables the account without deleting it." },
  title: string("Job title."),
  adoptId: string("The SCIM id of an existing account to adopt on create instead of creating one (brownfield adoption); ignored afterwards."),
  adoptUserName: string("The adopted account's userName when it was correlated: re-checked before adopting, so another account that took the id is never adopted."),
};

const groupInputs = {
  displayName: string("Group name in the directory."),
  externalId: string("The catalog key of the group."),
  members: {
    type: "array",
    items: { type: "string" },
    description: "SCIM ids of the member users (the ids of User resources), one per element or several per element one per line. Order does not matter.",
  },
  adoptId: string("The SCIM id of an existing group to adopt on create instead of creating one; ignored afterwards."),
  adoptDisplayName: string("The adopted group's displayName when it was matched: re-checked before adopting."),
};

const orphanInputs = {
  accountId: string("The SCIM id of the account nobody owns."),
  userName: string("Its userName when the inventory read it: re-checked before acting, so another account is never touched."),
  externalId: string("Its externalId when the inventory read it, if any: re-checked too."),
  action: string("disable (active=false) or remove (DELETE)."),
};

const scimId = { scimId: string("The service provider's id of the resource (also the resource id).") };

const config = {
  endpoint: string("Base URL of the SCIM 2.0 service, e.g. https://example.com/scim/v2."),
  token: { ...string("Bearer token for the SCIM service."), secret: true },
};

/** The Pulumi package schema, for GetSchema (and so for `pulumi package get-schema`). */
export function packageSchema(version: string): object {
  const userRequired = ["userName", "externalId", "givenName", "familyName", "displayName", "email", "active"];
  // members may be omitted: Check defaults it to an empty group.
  const groupRequired = ["displayName", "externalId"];
  return {
    name: PACKAGE_NAME,
    displayName: "rolecall SCIM",
    version,
    description: "Users and groups in any SCIM 2.0 service provider (RFC 7643/7644), managed by rolecall.",
    config: { variables: config, defaults: ["endpoint", "token"] },
    provider: {
      description: "A SCIM 2.0 service provider.",
      properties: config,
      inputProperties: config,
      requiredInputs: ["endpoint", "token"],
    },
    resources: {
      [USER_TYPE]: {
        description: "A SCIM user, keyed by the HR worker ID.",
        properties: { ...userInputs, ...scimId },
        required: [...userRequired, "scimId"],
        inputProperties: userInputs,
        requiredInputs: userRequired,
      },
      [GROUP_TYPE]: {
        description: "A SCIM group with its whole membership.",
        properties: { ...groupInputs, ...scimId },
        required: [...groupRequired, "members", "scimId"],
        inputProperties: groupInputs,
        requiredInputs: groupRequired,
      },
      [ORPHAN_TYPE]: {
        description: "What policy does with an account no HR worker or service account owns: disabled or removed by id on create, after reading it back. Deleting the resource leaves the account as it is.",
        properties: { ...orphanInputs, active: { type: "boolean", description: "Whether the account was enabled when last read: a disabled orphan someone enabled again is disabled again." } },
        required: ["accountId", "userName", "action"],
        inputProperties: orphanInputs,
        requiredInputs: ["accountId", "userName", "action"],
      },
    },
  };
}
