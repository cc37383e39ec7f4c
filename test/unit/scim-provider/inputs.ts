/** A valid user's inputs to the SCIM provider. */
export const ada = {
  userName: "ada",
  externalId: "W1",
  givenName: "Ada",
  familyName: "Lovelace",
  displayName: "Ada Lovelace",
  email: "ada@example.com",
  active: true,
};
