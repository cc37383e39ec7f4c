import { createRequire } from "node:module";
import { Command, CommanderError, Option } from "commander";
import path from "node:path";
import { EngineError, EnvironmentError } from "../engine/errors.js";
import { causesOf } from "../engine/failure.js";
import { NotAppliedError, NotProvenError, progress, RefusedError, UsageError } from "./context.js";

const { version } = createRequire(import.meta.url)("../../package.json") as { version: string };

/**
 * Each command's module is loaded only when it runs: `validate` in a pre-commit hook or a
 * corpus of cases must not pay for loading the Pulumi SDK and every provider.
 */
const lazy =
  <A extends unknown[]>(load: () => Promise<(...args: A) => unknown>) =>
  async (...args: A): Promise<void> => {
    await (await load())(...args);
  };

const cli = new Command("rolecall")
  .description("Identity provisioning as code: the HR roster compiled into accounts, groups and roles, applied with Pulumi.")
  .version(version)
  .exitOverride()
  .showHelpAfterError();

const dirOption = () => new Option("--dir <dir>", "the desired-state folder").default("desired-state");
const asOfOption = () => new Option("--as-of <date>", "evaluate dates as of this day (YYYY-MM-DD; default: today in the policy's timezone)");
const recordOption = () => new Option("--against <stack>", "compile against this stack's record of its last apply (pins logins and emails as plan and apply do); without it, identities are derived from the roster alone");
const stackOption = () => new Option("--stack <name>", "the stack (stacks/Pulumi.<name>.yaml)").default("local");

cli
  .command("validate")
  .description("check the desired state and print every finding with its file and line")
  .addOption(dirOption())
  .addOption(asOfOption())
  .addOption(new Option("--format <format>", "how to print findings").choices(["text", "json", "github"]).default("text"))
  .option("--stack <name>", "check only this stack's file and its targets' limits (default: every stacks/Pulumi.*.yaml)")
  .addOption(recordOption())
  .option("--pr-author <handle>", "the pull request's author on GitHub: refuse privileged grants they approved (env ROLECALL_PR_AUTHOR)", process.env.ROLECALL_PR_AUTHOR || undefined)
  .option("--pr-base <dir>", "the base branch's desired-state folder: grants it has unchanged are not the author's")
  .action(lazy(async () => (await import("./commands/compile.js")).validateCommand));

cli
  .command("compile")
  .description("print the compiled DesiredState as JSON")
  .addOption(dirOption())
  .addOption(asOfOption())
  .option("--out <file>", "write to a file instead of stdout ('-')", "-")
  .addOption(recordOption())
  .action(lazy(async () => (await import("./commands/compile.js")).compileCommand));

cli
  .command("schemas")
  .description("write the JSON Schemas of the desired-state files (editors validate against them)")
  .option("--out <dir>", "the folder to write them to", "schemas")
  .option("--check", "write nothing; exit 1 when the folder differs from what the zod schemas generate")
  .action(lazy(async () => (await import("./commands/schemas.js")).schemasCommand));

const access = cli
  .command("access")
  .description("access review: who holds what, in which target, since when, why, and who owns the role")
  .addOption(dirOption())
  .addOption(asOfOption())
  .addOption(stackOption().default("local", "local: its evidence history says since when"))
  .option("--person <worker>", "only this worker (or service-account key)")
  .option("--group <key>", "only this entitlement (a catalog key, or target:key)")
  .option("--owner <worker>", "only roles this worker owns")
  .option("--manager <worker>", "only this manager's direct reports")
  .addOption(new Option("--format <format>", "output format").choices(["text", "csv", "json", "html"]).default("text"))
  .option("--campaign <dir>", "write one review file per role owner and per manager into this folder (csv unless --format says otherwise)")
  .option("--out <file>", "write to a file instead of stdout ('-')", "-")
  .action(lazy(async () => (await import("./commands/access.js")).accessCommand));
// --dir and --as-of are access's own options: commander hands them to the parent command.
access
  .command("apply-review <file>")
  .description("turn a reviewer's CSV with revoke marks into the desired-state change for a pull request")
  .option("--ticket <ticket>", "the review campaign's ticket, recorded with every exclusion")
  .action(async (file: string, _opts, command: Command) => (await import("./commands/access.js")).applyReviewCommand(file, command.optsWithGlobals()));

cli
  .command("explain <worker> [entitlement]")
  .description("why a worker holds a role or entitlement — or why not")
  .addOption(dirOption())
  .addOption(asOfOption())
  .action(lazy(async () => (await import("./commands/access.js")).explainCommand));

cli
  .command("codeowners")
  .description("write .github/CODEOWNERS from the role owners and github.yaml")
  .addOption(dirOption())
  .option("--check", "write nothing; exit 1 when the file is out of date")
  .action(lazy(async () => (await import("./commands/codeowners.js")).codeownersCommand));

const evidenceOption = () => new Option("--evidence <dir>", "write the evidence bundle here (default: evidence/<stack>/<UTC time>/)");
const everyResourceOption = () =>
  new Option("--every-resource", "preview every resource of the stack, refreshed from the targets, not only those whose desired state, state and live read disagree (slower; the same changes)");

cli
  .command("plan")
  .description("preview what applying the stack would change, in people, and write the evidence bundle")
  .addOption(stackOption())
  .addOption(evidenceOption())
  .addOption(everyResourceOption())
  .action(lazy(async () => (await import("./commands/plan.js")).planCommand));

cli
  .command("apply")
  .description("preview, check the guardrails, confirm and apply the stack, writing the evidence bundle")
  .addOption(stackOption())
  .addOption(evidenceOption())
  .option("--yes", "apply without asking (scheduled runs)")
  .option("--allow-mass-deprovision <reason>", "override the deprovisioning and roster-size guardrails; the reason is recorded in the evidence")
  .option("--allow-mass-change <reason>", "override the reactivation and rename guardrails; the reason is recorded in the evidence")
  .option("--reviewed <bundle>", "apply only if the preview matches this reviewed plan (a bundle folder or its plan.json)")
  .addOption(everyResourceOption())
  .action(lazy(async () => (await import("./commands/apply.js")).applyCommand));

cli
  .command("inventory")
  .description("read every enabled target live and classify each account against HR: managed, linked, orphan, disputed, leaver present")
  .addOption(stackOption())
  .option("--json", "the inventory as JSON")
  .action(lazy(async () => (await import("./commands/inventory.js")).inventoryCommand));

cli
  .command("attest")
  .description("re-check live that everyone whose access an apply ended since a date has none left, into a verifiable attestation folder")
  .addOption(stackOption())
  .requiredOption("--since <date>", "cover applies with an as-of date on or after this day (YYYY-MM-DD)")
  .option("--out <dir>", "the folder to write (default: evidence/<stack>/attestation-<UTC time>)")
  .option("--evidence <dir>", "the folder holding the stack's evidence bundles (default: evidence/<stack>)")
  .action(lazy(async () => (await import("./commands/attest.js")).attestCommand));

cli
  .command("offboard")
  .description("the leaver fast path: apply only the revocations the HR export implies against the last apply, with guardrails, evidence and proof")
  .addOption(stackOption())
  .addOption(evidenceOption())
  .option("--yes", "apply without asking (the workflows and watch)")
  .action(lazy(async () => (await import("./commands/offboard.js")).offboardCommand));

cli
  .command("watch")
  .description("run offboard whenever the HR export changes (polling)")
  .addOption(stackOption())
  .option("--path <path>", "the file or folder to watch, relative to the project", "desired-state/hr")
  .option("--interval <seconds>", "how often to look", "30")
  .option("--settle <seconds>", "how long the path must be unchanged before it is read (an export still being written is never read)", "2")
  .action(lazy(async () => (await import("./commands/watch.js")).watchCommand));

cli
  .command("evidence")
  .description("audit evidence")
  .command("verify <dir>")
  .description("re-hash a bundle's inputs and files and check what was applied against the plan")
  .action(lazy(async () => (await import("./commands/evidence.js")).evidenceVerify));

const sandbox = cli.command("sandbox").description("the local SCIM 2.0 sandbox the local stack provisions into");
sandbox.command("start").description("start it in the background").action(lazy(async () => (await import("./commands/sandbox.js")).sandboxStart));
sandbox.command("stop").description("stop it").action(lazy(async () => (await import("./commands/sandbox.js")).sandboxStop));
sandbox.command("ls").description("list its users and groups").option("--json", "as JSON").action(lazy(async () => (await import("./commands/sandbox.js")).sandboxLs));
sandbox.command("reset").description("empty it").action(lazy(async () => (await import("./commands/sandbox.js")).sandboxReset));

cli
  .command("setup")
  .description("make the Pulumi engine and the provider plugins of a stack's targets available")
  .option("--stack <name>", "install the plugins this stack's targets need (stacks/Pulumi.<name>.yaml)", "local")
  .option("--all-plugins", "install the plugins of every cloud target (okta, azuread, aws)")
  .action(async (opts: { stack: string; allPlugins?: boolean }) => {
    const { ensurePulumiCli } = await import("../engine/pulumi-cli.js");
    const { setupPlugins } = await import("../engine/plugins.js");
    const found = await ensurePulumiCli(progress);
    process.stdout.write(`Pulumi CLI ready: ${found.root}/bin/pulumi (${found.source})\n`);
    const plugins = await setupPlugins(found, process.cwd(), { stack: opts.stack, all: opts.allPlugins }, progress);
    for (const p of [...plugins.present, ...plugins.installed]) process.stdout.write(`provider plugin ready: ${p.name} v${p.version}\n`);
  });

/** Runs one command line (`argv` shaped like process.argv: node, script, then the arguments); returns its exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    await cli.parseAsync([...argv]);
    return 0;
  } catch (error) {
    return exitCodeFor(error);
  }
}

/** Exit codes (README, "Commands"): 0 done, 1 refused, 2 usage or environment, 3 changes pending but not applied, 4 the update failed, 5 offboarding proof failed, 6 offboarding proof unverified. */
function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof RefusedError) {
    process.stderr.write(`rolecall: ${error.message}\n`);
    return 1;
  }
  if (error instanceof NotAppliedError) {
    process.stderr.write(`rolecall: ${error.message}\n`);
    return 3;
  }
  if (error instanceof NotProvenError) {
    process.stderr.write(`rolecall: ${error.message}\n`);
    return error.verdict === "failed" ? 5 : 6;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`rolecall: ${error.message}\n`);
    return 2;
  }
  if (error instanceof EnvironmentError) {
    process.stderr.write(`rolecall: ${error.message}\n  hint: ${error.hint}\n`);
    return 2;
  }
  if (error instanceof EngineError) {
    const causes = error.causes.map((c) => `  ${c}`).join("\n");
    process.stderr.write(`rolecall: ${error.message}\n${causes}\n  the engine's whole output: ${path.relative(process.cwd(), error.logFile)}\n`);
    return error.kind === "update" ? 4 : 2;
  }
  if (error && typeof error === "object" && "commandResult" in error) {
    // An engine command outside plan's and apply's own runs (selecting the stack, reading its
    // config or outputs): its causes only; its output names people.
    process.stderr.write(`rolecall: the Pulumi engine failed:\n${causesOf(error, []).map((c) => `  ${c}`).join("\n")}\n`);
    return 2;
  }
  // Anything else is a defect of rolecall's: its first line, never a stack or the engine's output.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`rolecall: unexpected error: ${message.split("\n")[0]}\n  please report it with the command you ran\n`);
  return 2;
}
