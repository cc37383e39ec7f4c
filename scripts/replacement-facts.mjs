/**
 * Writes test/program/fixtures/replace-on-change.json: for every resource type rolecall
 * declares, which of its inputs force a new resource (ForceNew in the Terraform provider the
 * @pulumi package bridges) and which update in place. The Pulumi packages' schema does not carry
 * ForceNew and their provider plugins cannot be installed on the build machines, so the facts
 * come from the providers' own Go source; the complete input list of each type comes from the
 * pinned package's typings, so every input is classified one way or the other.
 *
 * Run by hand after upgrading @pulumi/okta, @pulumi/azuread, @pulumi/aws or @pulumi/random
 * (CI never runs it; the test fails while the fixture names other package versions):
 *
 *   node scripts/replacement-facts.mjs --okta <git dir> --azuread <git dir>
 *
 * where each git dir is a clone (bare is fine) of github.com/okta/terraform-provider-okta and
 * github.com/hashicorp/terraform-provider-azuread holding the tags below. The Go module proxy
 * does not serve those modules, so a generator built on their Provider() schema cannot run here.
 * Providers whose source is not on this machine (aws, random) carry facts read by hand, each with
 * the file and commit it was read at: update those lines when upgrading.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const OUT = `${root}test/program/fixtures/replace-on-change.json`;

/**
 * What each @pulumi package bundles and where its facts come from. `ref` is the upstream tag
 * read; `file` the resource's source at that tag. The typings of a type's inputs follow from
 * its token (see `typingsOf`).
 */
const PROVIDERS = {
  okta: {
    package: "@pulumi/okta",
    bundles: "terraform-provider-okta v7.0.0 (the package.json description of @pulumi/okta 7.0.0)",
    repo: "github.com/okta/terraform-provider-okta",
    // v7.0.0 is not stored anywhere this machine reaches and the module proxy refuses the module:
    // the closest stored release is read, and the test's fixed expectations pin what it says.
    ref: "v6.12.0",
    types: {
      "okta:user/user:User": { file: "okta/services/idaas/resource_okta_user.go" },
      "okta:group/group:Group": { file: "okta/services/idaas/resource_okta_group.go" },
      "okta:index/userGroupMemberships:UserGroupMemberships": { file: "okta/services/idaas/resource_okta_user_group_memberships.go" },
      "okta:index/userAdminRoles:UserAdminRoles": { file: "okta/services/idaas/resource_okta_user_admin_roles.go" },
      "okta:index/groupMemberships:GroupMemberships": { file: "okta/services/idaas/resource_okta_group_memberships.go" },
    },
  },
  azuread: {
    package: "@pulumi/azuread",
    bundles: "terraform-provider-azuread v3.8.0 (pulumi-azuread v6.9.1 provider/go.mod: v1.6.1-0.20260219201236-38d1993a1ea6, the commit tagged v3.8.0)",
    repo: "github.com/hashicorp/terraform-provider-azuread",
    ref: "v3.8.0",
    types: {
      "azuread:index/user:User": { file: "internal/services/users/user_resource.go" },
      "azuread:index/group:Group": { file: "internal/services/groups/group_resource.go" },
      "azuread:index/groupWithoutMembers:GroupWithoutMembers": { file: "internal/services/groups/group_without_members_resource.go" },
      "azuread:index/groupMember:GroupMember": { file: "internal/services/groups/group_member_resource.go" },
      "azuread:index/directoryRole:DirectoryRole": { file: "internal/services/directoryroles/directory_role_resource.go" },
      "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment": { file: "internal/services/directoryroles/directory_role_assignment_resource.go" },
    },
  },
  random: {
    package: "@pulumi/random",
    bundles: "terraform-provider-random 3.x (plugin framework)",
    repo: "github.com/hashicorp/terraform-provider-random",
    types: {
      "random:index/randomPassword:RandomPassword": {
        source: "internal/provider/resource_password.go: every argument has a RequiresReplace plan modifier (read by hand)",
        forceNew: ["keepers", "length", "lower", "minLower", "minNumeric", "minSpecial", "minUpper", "number", "numeric", "overrideSpecial", "special", "upper"],
      },
    },
  },
  aws: {
    package: "@pulumi/aws",
    bundles: "terraform-provider-aws 6.x (pulumi-aws v7.37.0 bundled v6.54.0; the exact tag under v7.48.0 was not found here)",
    repo: "github.com/hashicorp/terraform-provider-aws",
    types: {
      "aws:identitystore/user:User": {
        source: "internal/service/identitystore/user.go at commit 00005ed8: identity_store_id and user_name ForceNew (read by hand)",
        forceNew: ["identityStoreId", "userName"],
      },
      "aws:identitystore/group:Group": {
        source: "internal/service/identitystore/group.go: identity_store_id ForceNew (read by hand)",
        forceNew: ["identityStoreId"],
      },
      "aws:identitystore/groupMembership:GroupMembership": {
        source: "internal/service/identitystore/group_membership.go: every argument ForceNew, no update (read by hand)",
        forceNew: ["groupId", "identityStoreId", "memberId"],
      },
      "aws:ssoadmin/permissionSet:PermissionSet": {
        source: "internal/service/ssoadmin/permission_set.go: instance_arn and name ForceNew (read by hand)",
        forceNew: ["instanceArn", "name"],
      },
      "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive": {
        source: "internal/service/ssoadmin/managed_policy_attachments_exclusive.go: instance_arn and permission_set_arn RequiresReplace (read by hand)",
        forceNew: ["instanceArn", "permissionSetArn"],
      },
      "aws:ssoadmin/accountAssignment:AccountAssignment": {
        source: "internal/service/ssoadmin/account_assignment.go: every argument ForceNew, no update (read by hand)",
        forceNew: ["instanceArn", "permissionSetArn", "principalId", "principalType", "targetId", "targetType"],
      },
    },
  },
};

/**
 * Where a type token's inputs are in its package's typings: `pkg:mod/file:Name` is
 * `mod/file.d.ts` (`file.d.ts` for the `index` module), interface `NameArgs`.
 */
function typingsOf(type) {
  const [, mod, name] = type.split(":");
  return { dts: `${mod.replace(/^index\//, "")}.d.ts`, args: `${name}Args` };
}

/** The input names of `args` in a package's typings (`export interface XArgs { name?: … }`). */
function sdkInputs(pkg, { dts, args }) {
  const text = readFileSync(`${root}node_modules/${pkg}/${dts}`, "utf8");
  const start = text.indexOf(`export interface ${args} {`);
  if (start < 0) throw new Error(`${pkg}/${dts} has no interface ${args}`);
  const body = text.slice(start, text.indexOf("\n}", start));
  return [...body.matchAll(/^ {4}(?:readonly )?(\w+)\??:/gm)].map((m) => m[1]).sort();
}

const camel = (snake) => snake.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/**
 * The attributes an SDKv2 resource marks ForceNew: the top-level entries of its first schema map
 * whose body says `ForceNew: true` (a nested one forces the whole attribute), and those its
 * CustomizeDiff forces with `diff.ForceNew("…")` under some condition (counted as forcing).
 */
function forceNewOf(source) {
  const open = source.search(/map\[string\]\*(?:schema|pluginsdk)\.Schema\{/);
  if (open < 0) throw new Error("no schema map found");
  let i = source.indexOf("{", open) + 1;
  const forced = new Set();
  while (i < source.length) {
    const entry = /\s*(?:"([a-z0-9_]+)"|names\.Attr(\w+))\s*:\s*\{/y;
    entry.lastIndex = i;
    const m = entry.exec(source);
    if (!m) break;
    let depth = 1;
    let j = entry.lastIndex;
    for (; depth > 0; j++) {
      const c = source[j];
      if (c === '"' || c === "`") j = source.indexOf(c, j + 1);
      else if (c === "{") depth++;
      else if (c === "}") depth--;
    }
    const name = m[1] ?? m[2].replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
    if (/ForceNew:\s*true/.test(source.slice(entry.lastIndex, j))) forced.add(name);
    i = source.indexOf(",", j) + 1;
  }
  for (const m of source.matchAll(/\.ForceNew\("([a-z0-9_]+)"\)/g)) forced.add(m[1]);
  return [...forced].map(camel).sort();
}

function args() {
  const out = {};
  for (let i = 2; i < process.argv.length; i += 2) out[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
  return out;
}

const dirs = args();
const fixture = {
  about:
    "Per resource type rolecall declares: the inputs whose change makes the provider replace the resource (ForceNew in the bridged Terraform provider), and every other input of the pinned package (updated in place). Written by scripts/replacement-facts.mjs from the providers' source and the packages' typings; see that script to regenerate after an upgrade.",
  providers: {},
};
for (const [name, p] of Object.entries(PROVIDERS)) {
  const version = JSON.parse(readFileSync(`${root}node_modules/${p.package}/package.json`, "utf8")).version;
  const types = {};
  for (const [type, t] of Object.entries(p.types)) {
    const typings = typingsOf(type);
    const inputs = sdkInputs(p.package, typings);
    let forceNew = t.forceNew;
    let source = t.source && `${p.repo} ${t.source}`;
    if (!forceNew) {
      if (!dirs[name]) throw new Error(`--${name} <git dir of ${p.repo}> is needed to read ${t.file}`);
      forceNew = forceNewOf(execFileSync("git", ["--git-dir", dirs[name], "show", `${p.ref}:${t.file}`], { encoding: "utf8" }));
      const commit = execFileSync("git", ["--git-dir", dirs[name], "rev-parse", `${p.ref}^{commit}`], { encoding: "utf8" }).trim();
      source = `${p.repo}@${p.ref} (${commit.slice(0, 12)}) ${t.file}`;
    }
    const unknown = forceNew.filter((f) => !inputs.includes(f));
    if (unknown.length > 0) throw new Error(`${type}: ${unknown.join(", ")} forces new upstream but is no input of ${p.package} ${version} (${typings.args})`);
    types[type] = { source, forceNew, inPlace: inputs.filter((f) => !forceNew.includes(f)) };
  }
  fixture.providers[name] = { package: `${p.package} ${version}`, bundles: p.bundles, types };
}
writeFileSync(OUT, JSON.stringify(fixture, null, 2) + "\n");
console.log(`wrote ${OUT}`);
