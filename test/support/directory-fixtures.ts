import type { DirectoryUser } from "../../src/model/desired-state.js";

/** An active person keyed `key`, with a login and email derived from it (`w1@example.com` for W1). */
export const user = (key: string, over: Partial<DirectoryUser> = {}): DirectoryUser => ({
  key,
  kind: "person",
  state: "active",
  userName: `${key.toLowerCase()}@example.com`,
  externalId: key,
  givenName: "Given",
  familyName: key,
  displayName: `Given ${key}`,
  email: `${key.toLowerCase()}@example.com`,
  active: true,
  protected: false,
  ...over,
});

/** Ada Müller (W1001) of the sample organisation, active, with her title and department. */
export const person = (over: Partial<DirectoryUser> = {}): DirectoryUser => ({
  key: "W1001",
  kind: "person",
  state: "active",
  userName: "ada.muller@example.com",
  externalId: "W1001",
  givenName: "Ada",
  familyName: "Müller",
  displayName: "Ada Müller",
  email: "ada.muller@example.com",
  active: true,
  title: "Chief Executive Officer",
  department: "Executive",
  protected: false,
  ...over,
});
