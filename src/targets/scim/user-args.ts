import type { DirectoryUser } from "../../model/desired-state.js";
import type { UserProps } from "./provider/mapping.js";

/** The SCIM attributes of an account, as the component declares them; the lifecycle state is already folded into `active`. */
export function scimUserArgs(user: DirectoryUser): UserProps {
  return {
    userName: user.userName,
    externalId: user.externalId,
    givenName: user.givenName,
    familyName: user.familyName,
    displayName: user.displayName,
    email: user.email,
    active: user.active,
    ...(user.title ? { title: user.title } : {}),
  };
}
