import { describe, expect, it } from "vitest";
import { AwsTargetSettingsSchema, partitionOf } from "../../../../src/targets/aws/settings.js";

const valid = {
  region: "eu-central-1",
  identityStoreId: "d-1234567890",
  instanceArn: "arn:aws:sso:::instance/ssoins-1234567890abcdef",
};

function messages(input: unknown): string[] {
  const r = AwsTargetSettingsSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("AwsTargetSettingsSchema", () => {
  it("accepts the minimum and fills in defaults", () => {
    expect(AwsTargetSettingsSchema.parse(valid)).toEqual({ ...valid, maxRetries: 25 });
  });

  it.each([
    { field: "identityStoreId", value: "1c6a2f5e-0b7d-4f0e-9a55-3b1f3b9d2c10" },
    { field: "region", value: "us-gov-west-1" },
    { field: "userNameSuffix", value: "@id.example.com" },
    { field: "accountId", value: "123456789012" },
    { field: "maxRetries", value: 40 },
  ])("accepts $field = $value", ({ field, value }) => {
    const input = { ...valid, [field]: value, ...(field === "region" && value === "us-gov-west-1" ? { instanceArn: "arn:aws-us-gov:sso:::instance/ssoins-1234567890abcdef" } : {}) };
    expect(messages(input)).toEqual([]);
  });

  it.each([
    { input: { ...valid, identityStoreId: "D-1234567890" }, expected: /^identityStoreId: identityStoreId must look like d-1234567890/ },
    { input: { ...valid, identityStoreId: "1234567890" }, expected: /^identityStoreId: .*ten lower-case hex digits/ },
    { input: { ...valid, instanceArn: "arn:aws:sso:::instance/ssoins-123" }, expected: /^instanceArn: instanceArn must look like arn:aws:sso:::instance\/ssoins-/ },
    { input: { ...valid, instanceArn: "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef" }, expected: /^instanceArn: / },
    { input: { ...valid, region: "Frankfurt" }, expected: /^region: region must be an AWS Region code/ },
    { input: { ...valid, accountId: "12345" }, expected: /^accountId: accountId must be the 12-digit ID/ },
    { input: { ...valid, userNameSuffix: "example.com" }, expected: /^userNameSuffix: userNameSuffix must be '@' followed by a domain/ },
    { input: { ...valid, maxRetries: 0 }, expected: /^maxRetries: maxRetries must be at least 1/ },
    { input: { ...valid, accountId: 123456789012 }, expected: /^accountId: accountId must be quoted in YAML/ },
    { input: { ...valid, region: "us-gov-west-1" }, expected: /^instanceArn: instanceArn is in partition 'aws' but region us-gov-west-1 is in 'aws-us-gov'/ },
    { input: { region: "eu-central-1", instanceArn: valid.instanceArn }, expected: /^identityStoreId: identityStoreId is required/ },
    { input: { ...valid, region: 42 }, expected: /^region: region must be a string/ },
    { input: { ...valid, accessKey: "AKIA..." }, expected: /unknown aws setting 'accessKey': .*credentials come from the AWS provider's environment.*never from stack settings/ },
    { input: { ...valid, regoin: "eu-west-1" }, expected: /unknown aws setting 'regoin': it takes region, / },
  ])("rejects $input with a clear message", ({ input, expected }) => {
    const found = messages(input);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((m) => expected.test(m))).toBe(true);
  });

  it.each([
    ["eu-central-1", "aws"],
    ["us-gov-east-1", "aws-us-gov"],
    ["cn-north-1", "aws-cn"],
    ["us-iso-east-1", "aws-iso"],
    ["us-isob-east-1", "aws-iso-b"],
  ])("partitionOf(%s) = %s", (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });
});
