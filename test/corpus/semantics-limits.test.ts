/**
 * What a target would refuse at apply time, refused by validate at the row or catalog line;
 * and the stack files, checked with their lines.
 */
import { append, AWS, AZUREAD, CATALOG, CLOUD_STACK, cloudStack, corpus, LOCAL_STACK, OKTA, replace, row, ROSTER } from "./semantics-support.js";

const long = "Maximiliana".repeat(7);

corpus("targets' limits", [
  {
    name: "a 77-character preferred name makes an email whose local part is over 64 (SCIM)",
    edits: { [ROSTER]: append(row({ id: "W2001", given: "Max", family: "Long", preferred: long, start: "2024-01-01" })) },
    code: "scim-limit",
    file: ROSTER,
    at: "W2001,",
  },
  {
    name: "a given name over Okta's 50 characters",
    edits: { [CLOUD_STACK]: cloudStack(OKTA), [ROSTER]: append(row({ id: "W2002", given: "Anna".repeat(13), family: "Long", start: "2024-01-01" })) },
    code: "okta-limit",
    file: ROSTER,
    at: "W2002,",
  },
  {
    name: "a worker ID too long for Entra's employeeId",
    edits: { [CLOUD_STACK]: cloudStack(AZUREAD), [ROSTER]: append(row({ id: "W20030000000000001", given: "Ana", family: "Id", start: "2024-01-01" })) },
    code: "azuread-limit",
    file: ROSTER,
    at: "W20030000000000001,",
  },
  {
    name: "an HR email whose local part Entra cannot take as userPrincipalName or mailNickname",
    edits: { [CLOUD_STACK]: cloudStack(AZUREAD), [ROSTER]: append(row({ id: "W2004", given: "Ana", family: "Plus", email: "ana+sales@example.com", start: "2024-01-01" })) },
    code: "azuread-limit",
    file: ROSTER,
    at: "W2004,",
  },
  {
    name: "a permission set named like the roles Identity Center reserves",
    edits: { [CLOUD_STACK]: cloudStack(AWS), [CATALOG]: replace("name: AdministratorAccess,", "name: AWSReservedSSO_Admin,") },
    code: "aws-limit",
    file: CATALOG,
    at: "AWSReservedSSO_Admin",
  },
  {
    name: "a session duration over PT12H",
    edits: { [CLOUD_STACK]: cloudStack(AWS), [CATALOG]: replace("name: Billing, sessionDuration: PT4H", "name: Billing, sessionDuration: PT13H") },
    code: "aws-limit",
    file: CATALOG,
    at: "PT13H",
  },
  {
    name: "a session duration under PT1H",
    edits: { [CLOUD_STACK]: cloudStack(AWS), [CATALOG]: replace("name: Billing, sessionDuration: PT4H", "name: Billing, sessionDuration: PT30M") },
    code: "aws-limit",
    file: CATALOG,
    at: "PT30M",
  },
  {
    name: "an AWS group with a reserved Identity Store name",
    edits: { [CLOUD_STACK]: cloudStack(AWS), [CATALOG]: replace("displayName: Platform Administrators", "displayName: Administrator") },
    code: "aws-limit",
    file: CATALOG,
    at: "displayName: Administrator",
  },
]);

const local = (body: string) => () => `config:\n  rolecall:desiredState: desired-state\n  rolecall:targets:\n${body}`;

corpus("stack files", [
  { name: "an unknown key under the scim target", edits: { [LOCAL_STACK]: local("    scim:\n      endpoint: sandbox\n      endpont: sandbox\n") }, code: "stack-schema", file: LOCAL_STACK, at: "endpont" },
  { name: "a typo'd endpoint", edits: { [LOCAL_STACK]: local("    scim:\n      endpoint: sandbx\n") }, code: "stack-schema", file: LOCAL_STACK, at: "sandbx" },
  { name: "a key given twice", edits: { [LOCAL_STACK]: local("    scim:\n      endpoint: sandbox\n      endpoint: sandbox # again\n") }, code: "yaml-syntax", file: LOCAL_STACK, at: "# again" },
  { name: "a plain-http endpoint off loopback", edits: { [LOCAL_STACK]: local("    scim:\n      endpoint: http://scim.example.com/v2\n") }, code: "stack-schema", file: LOCAL_STACK, at: "http://scim" },
  { name: "provider configuration rolecall would ignore", edits: { [LOCAL_STACK]: (t) => `${t}  aws:region: eu-central-1\n` }, code: "stack-unknown-key", file: LOCAL_STACK, at: "aws:region" },
  { name: "the SCIM token in plain text", edits: { [LOCAL_STACK]: (t) => `${t}  rolecall:scimToken: s3cr3t\n` }, code: "stack-plain-secret", file: LOCAL_STACK, at: "rolecall:scimToken" },
  { name: "a desired-state folder outside the project", edits: { [LOCAL_STACK]: replace("rolecall:desiredState: desired-state", "rolecall:desiredState: ../elsewhere") }, code: "stack-schema", file: LOCAL_STACK, at: "../elsewhere" },
  { name: "an unknown target", edits: { [LOCAL_STACK]: local("    scim:\n      endpoint: sandbox\n    gcp: {}\n") }, code: "stack-schema", file: LOCAL_STACK, at: "gcp" },
  { name: "a misspelt top-level key", edits: { [LOCAL_STACK]: (t) => t.replace("config:", "confg:") }, code: "stack-schema", file: LOCAL_STACK, at: "confg" },
  { name: "an unknown rolecall setting", edits: { [LOCAL_STACK]: (t) => `${t}  rolecall:desiredStat: desired-state\n` }, code: "stack-schema", file: LOCAL_STACK, at: "rolecall:desiredStat:" },
  { name: "an aws target missing its identity store, checked with --stack", edits: { [CLOUD_STACK]: () => "config:\n  rolecall:targets:\n    aws:\n      region: eu-central-1\n      instanceArn: arn:aws:sso:::instance/ssoins-1234567890abcdef\n" }, code: "stack-schema", file: CLOUD_STACK, at: "region: eu-central-1", args: ["--stack", "cloud"] },
]);
