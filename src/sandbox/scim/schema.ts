/**
 * The SCIM schemas the sandbox serves (RFC 7643 §4, §8.7), as data: validation, filtering,
 * PATCH and projection all read attribute characteristics from here, and /Schemas publishes it.
 */

export type AttributeType = "string" | "boolean" | "decimal" | "integer" | "dateTime" | "reference" | "binary" | "complex";

export interface Attribute {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: "readOnly" | "readWrite" | "immutable" | "writeOnly";
  returned: "always" | "never" | "default" | "request";
  uniqueness: "none" | "server" | "global";
  subAttributes?: Attribute[];
  canonicalValues?: string[];
  referenceTypes?: string[];
}

export interface Schema {
  id: string;
  name: string;
  description: string;
  attributes: Attribute[];
}

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

type Options = Partial<Omit<Attribute, "name" | "type">>;

function attr(name: string, type: AttributeType, options: Options = {}): Attribute {
  return {
    name,
    type,
    multiValued: false,
    description: options.description ?? name,
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
    ...options,
  };
}

const str = (name: string, options?: Options) => attr(name, "string", options);
const complex = (name: string, subAttributes: Attribute[], options?: Options) => attr(name, "complex", { subAttributes, ...options });

/** The usual sub-attributes of a multi-valued attribute (RFC 7643 §2.4). */
function multi(name: string, value: Attribute, types?: string[], options: Options = {}): Attribute {
  return complex(
    name,
    [
      value,
      str("display"),
      // No canonicalValues where RFC 7643 names none: an empty list would read as "no type allowed".
      str("type", types ? { canonicalValues: types } : {}),
      attr("primary", "boolean"),
    ],
    { multiValued: true, ...options },
  );
}

const readOnly: Options = { mutability: "readOnly" };

export const userSchema: Schema = {
  id: USER_SCHEMA,
  name: "User",
  description: "User Account",
  attributes: [
    str("userName", { required: true, uniqueness: "server" }),
    complex("name", [
      str("formatted"),
      str("familyName"),
      str("givenName"),
      str("middleName"),
      str("honorificPrefix"),
      str("honorificSuffix"),
    ]),
    str("displayName"),
    str("nickName"),
    attr("profileUrl", "reference", { referenceTypes: ["external"] }),
    str("title"),
    str("userType"),
    str("preferredLanguage"),
    str("locale"),
    str("timezone"),
    attr("active", "boolean"),
    str("password", { mutability: "writeOnly", returned: "never" }),
    multi("emails", str("value"), ["work", "home", "other"]),
    multi("phoneNumbers", str("value"), ["work", "home", "mobile", "fax", "pager", "other"]),
    multi("ims", str("value"), ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"]),
    multi("photos", attr("value", "reference", { referenceTypes: ["external"] }), ["photo", "thumbnail"]),
    complex(
      "addresses",
      [
        str("formatted"),
        str("streetAddress"),
        str("locality"),
        str("region"),
        str("postalCode"),
        str("country"),
        str("type", { canonicalValues: ["work", "home", "other"] }),
        attr("primary", "boolean"),
      ],
      { multiValued: true },
    ),
    complex(
      "groups",
      [
        str("value", readOnly),
        attr("$ref", "reference", { referenceTypes: ["Group"], ...readOnly }),
        str("display", readOnly),
        str("type", { canonicalValues: ["direct", "indirect"], ...readOnly }),
      ],
      { multiValued: true, ...readOnly },
    ),
    multi("entitlements", str("value")),
    multi("roles", str("value")),
    multi("x509Certificates", attr("value", "binary")),
  ],
};

export const enterpriseSchema: Schema = {
  id: ENTERPRISE_SCHEMA,
  name: "EnterpriseUser",
  description: "Enterprise User",
  attributes: [
    str("employeeNumber"),
    str("costCenter"),
    str("organization"),
    str("division"),
    str("department"),
    complex("manager", [
      str("value"),
      attr("$ref", "reference", { referenceTypes: ["User"] }),
      str("displayName", readOnly),
    ]),
  ],
};

export const groupSchema: Schema = {
  id: GROUP_SCHEMA,
  name: "Group",
  description: "Group",
  attributes: [
    // Unique here (RFC 7643 leaves it open) so a provider can adopt a group by name.
    str("displayName", { required: true, uniqueness: "server" }),
    complex(
      "members",
      [
        str("value", { mutability: "immutable" }),
        attr("$ref", "reference", { referenceTypes: ["User"], mutability: "immutable" }),
        str("display"),
        str("type", { canonicalValues: ["User"], mutability: "immutable" }),
      ],
      { multiValued: true },
    ),
  ],
};

/** Attributes every resource has (RFC 7643 §3.1), outside any schema's attribute list. */
export const commonAttributes: Attribute[] = [
  str("id", { caseExact: true, returned: "always", uniqueness: "server", ...readOnly }),
  str("externalId", { caseExact: true }),
  complex(
    "meta",
    [
      str("resourceType", { caseExact: true, ...readOnly }),
      attr("created", "dateTime", readOnly),
      attr("lastModified", "dateTime", readOnly),
      attr("location", "reference", { caseExact: true, referenceTypes: ["uri"], ...readOnly }),
      str("version", { caseExact: true, ...readOnly }),
    ],
    readOnly,
  ),
];

export interface ResourceKind {
  name: "User" | "Group";
  endpoint: "/Users" | "/Groups";
  core: Schema;
  extensions: Schema[];
}

export const userKind: ResourceKind = { name: "User", endpoint: "/Users", core: userSchema, extensions: [enterpriseSchema] };
export const groupKind: ResourceKind = { name: "Group", endpoint: "/Groups", core: groupSchema, extensions: [] };
