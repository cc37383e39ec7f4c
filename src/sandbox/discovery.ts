import { MAX_RESULTS } from "./query.js";
import { ScimError } from "./scim/errors.js";
import { enterpriseSchema, groupKind, groupSchema, userKind, userSchema, type ResourceKind, type Schema } from "./scim/schema.js";

type Json = Record<string, unknown>;

/** Request bodies above this are refused with 413; room for a group created with 100,000 members. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

export function listResponse(resources: Json[], totalResults = resources.length, startIndex = 1): Json {
  return { schemas: [LIST_SCHEMA], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}

/** What the sandbox supports (RFC 7643 §5), as it really behaves. */
export function serviceProviderConfig(base: string): Json {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: MAX_BODY_BYTES },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "Bearer token",
        description: "The token in the sandbox's token file, sent as Authorization: Bearer <token>",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${base}/ServiceProviderConfig` },
  };
}

// As RFC 7643 §8.7 publishes them: the common attributes (id, externalId, meta) are not listed.
const SCHEMAS: Schema[] = [userSchema, enterpriseSchema, groupSchema];

export function schemas(base: string): Json[] {
  return SCHEMAS.map((schema) => ({
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
    ...schema,
    meta: { resourceType: "Schema", location: `${base}/Schemas/${schema.id}` },
  }));
}

export function schemaById(base: string, id: string): Json {
  const found = schemas(base).find((schema) => String(schema["id"]).toLowerCase() === id.toLowerCase());
  if (!found) throw new ScimError(404, undefined, `no schema ${id}`);
  return found;
}

export function resourceTypes(base: string): Json[] {
  return [userKind, groupKind].map((kind: ResourceKind) => ({
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
    id: kind.name,
    name: kind.name,
    endpoint: kind.endpoint,
    description: kind.core.description,
    schema: kind.core.id,
    schemaExtensions: kind.extensions.map((extension) => ({ schema: extension.id, required: false })),
    meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/${kind.name}` },
  }));
}

export function resourceTypeByName(base: string, name: string): Json {
  const found = resourceTypes(base).find((type) => String(type["id"]).toLowerCase() === name.toLowerCase());
  if (!found) throw new ScimError(404, undefined, `no resource type ${name}`);
  return found;
}
