#!/usr/bin/env node
// Issue #2: "A Node native provider avoids the dynamic provider's serialised closure in every
// resource's state; choose by measuring both at 1,000 users (state size, preview time)."
//
// Runs the same synthetic organisation through the real engine once per variant, each in its
// own temp project with its own SCIM sandbox, and prints (and records) what each costs.
// Usage: see README.md. Needs `npm run build` first: it runs the compiled code in dist/.
import { execFile } from "node:child_process";
import { access, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { ensurePulumiCli } from "../../dist/engine/pulumi-cli.js";
import { declareTargets } from "../../dist/targets/declare.js";
import { analyseCheckpoint } from "./checkpoint.mjs";
import { CONFIG, DYNAMIC_PROVIDERS, DynamicScimTarget } from "./dynamic.mjs";
import { generateProjection } from "./generate.mjs";
import { checkpointFile, openStack, removeDir, startSandbox, writeDynamicLauncher } from "./project.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "../..");

/**
 * What is compared. The native rows run the project's real declaration (declareTargets →
 * ScimTarget → rolecall-scim plugin); the dynamic rows run the same resource logic behind
 * `pulumi.dynamic.Resource` (dynamic.mjs).
 */
const VARIANTS = {
  native: {
    label: "native provider (rolecall-scim)",
    userType: "rolecall-scim:index:User",
    program: ({ projection, sandbox }) => () => {
      declareTargets({ targets: { scim: projection } }, { scim: { endpoint: sandbox.url, token: sandbox.token } });
    },
  },
  "native-no-trace": {
    label: "native, stack traces suppressed (unsupported patch)",
    userType: "rolecall-scim:index:User",
    suppressStackTraces: true,
    program: (ctx) => VARIANTS.native.program(ctx),
  },
  dynamic: {
    label: "dynamic provider, logic captured in closure",
    userType: "pulumi-nodejs:dynamic/scim:User",
    dynamic: true,
    program: ({ projection }) => () => {
      new DynamicScimTarget("scim", { projection, providers: DYNAMIC_PROVIDERS.captured });
    },
  },
  "dynamic-imported": {
    label: "dynamic provider, code imported at run time",
    userType: "pulumi-nodejs:dynamic/scim:User",
    dynamic: true,
    program: ({ projection }) => () => {
      new DynamicScimTarget("scim", { projection, providers: DYNAMIC_PROVIDERS.imported });
    },
  },
};

const DEFAULTS = { users: 1000, groups: 20, perUser: 3, seed: 2, previews: 3, variants: Object.keys(VARIANTS), keep: false, write: true };

await main();

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  await requireBuild();
  const cli = await ensurePulumiCli((line) => console.error(line));
  const projection = generateProjection(opts);
  const memberships = projection.groups.reduce((n, g) => n + g.members.length, 0);
  console.error(`${projection.users.length} users, ${projection.groups.length} groups, ${memberships} memberships`);

  const results = [];
  for (const name of opts.variants) {
    console.error(`\n== ${name}: ${VARIANTS[name].label}`);
    results.push({ name, ...VARIANTS[name], ...(await measureVariant(VARIANTS[name], { projection, cli, opts })) });
  }

  const report = renderReport({ opts, projection, memberships, results, machine: await describeMachine(cli) });
  console.log(report);
  if (opts.write) {
    await writeFile(path.join(HERE, "RESULTS.md"), report);
    console.error(`\nwritten to ${path.relative(process.cwd(), path.join(HERE, "RESULTS.md"))}`);
  }
}

/** One variant, start to finish, in a temp dir of its own (kept with --keep for inspection). */
async function measureVariant(variant, { projection, cli, opts }) {
  const root = await mkdtemp(path.join(os.tmpdir(), "rolecall-provider-choice-"));
  const sandbox = await startSandbox(root);
  const restoreTraces = variant.suppressStackTraces ? suppressStackTraces() : () => {};
  try {
    const { stack, stateDir } = await openVariantStack(variant, { root, cli, projection, sandbox });
    // The machine may be shared: the 1-minute load average says how much to trust the times.
    const loadBefore = os.loadavg()[0];
    const up = await timed(() => stack.up({ color: "never", onEvent: () => {} }));
    console.error(`  up: ${up.seconds.toFixed(1)} s, ${describeChanges(up.result.summary.resourceChanges)}`);
    const previews = [];
    for (let i = 0; i < opts.previews; i++) {
      const preview = await timed(() => stack.preview({ color: "never", onEvent: () => {} }));
      requireNoChanges(preview.result.changeSummary);
      previews.push(preview.seconds);
      console.error(`  no-change preview ${i + 1}: ${preview.seconds.toFixed(1)} s`);
    }
    const state = await analyseCheckpoint(await checkpointFile(stateDir), { userType: variant.userType });
    if (state.users !== projection.users.length) throw new Error(`expected ${projection.users.length} users in state, found ${state.users}`);
    console.error(`  state: ${state.bytes} bytes, one user resource ${state.userBytes} bytes`);
    if (opts.keep) console.error(`  kept: ${root}`);
    return { upSeconds: up.seconds, previewSeconds: median(previews), previews, state, load: [loadBefore, os.loadavg()[0]] };
  } finally {
    restoreTraces();
    await sandbox.close();
    if (!opts.keep) await removeDir(root);
  }
}

async function openVariantStack(variant, { root, cli, projection, sandbox }) {
  const program = variant.program({ projection, sandbox });
  if (!variant.dynamic) {
    const plugins = [{ name: "rolecall-scim", path: path.join(REPO, "bin") }];
    return openStack({ root, cli, program, plugins });
  }
  const binDir = path.join(root, "bin");
  await writeDynamicLauncher(binDir, REPO);
  const opened = await openStack({ root, cli, program, extraPath: binDir });
  // Dynamic providers receive the whole stack config in `configure`; the token stays a secret.
  await opened.stack.setConfig(CONFIG.endpoint, { value: sandbox.url });
  await opened.stack.setConfig(CONFIG.token, { value: sandbox.token, secret: true });
  return opened;
}

/**
 * The SDK records a stack trace for every resource it registers (Resource constructor →
 * `Resource.stackTrace(4)`, unconditionally), and the engine stores it; neither offers a
 * switch. Replacing the static method is the only way to measure the state without it. It is
 * not an API: do not ship it. Returns the undo.
 */
function suppressStackTraces() {
  const original = pulumi.Resource.stackTrace;
  pulumi.Resource.stackTrace = () => [];
  return () => {
    pulumi.Resource.stackTrace = original;
  };
}

async function timed(fn) {
  const started = performance.now();
  const result = await fn();
  return { seconds: (performance.now() - started) / 1000, result };
}

/** A no-change preview that is not one would make its timing meaningless. */
function requireNoChanges(summary) {
  const changed = Object.entries(summary ?? {}).filter(([op, n]) => op !== "same" && n > 0);
  if (changed.length > 0) throw new Error(`the second preview should change nothing, but: ${describeChanges(summary)}`);
}

function describeChanges(changes) {
  return Object.entries(changes ?? {}).map(([op, n]) => `${op} ${n}`).join(", ");
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function requireBuild() {
  try {
    await access(path.join(REPO, "dist/targets/scim/provider/main.js"));
  } catch {
    throw new Error("dist/ is missing: run `npm run build` first (the benchmark runs the compiled code)");
  }
}

async function describeMachine(cli) {
  const run = async (file, args) => (await promisify(execFile)(file, args, { env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } })).stdout.trim();
  return {
    date: new Date().toISOString(),
    nproc: await run("nproc", []),
    cpu: os.cpus()[0]?.model ?? "unknown",
    free: await run("free", ["-g"]),
    node: process.version,
    pulumi: await run(path.join(cli.root, "bin", "pulumi"), ["version"]),
    sdk: createRequire(import.meta.url)("@pulumi/pulumi/package.json").version,
  };
}

function parseOptions(argv) {
  const opts = { ...DEFAULTS };
  const numbers = { "--users": "users", "--groups": "groups", "--per-user": "perUser", "--seed": "seed", "--previews": "previews" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg in numbers) opts[numbers[arg]] = positiveInt(arg, argv[++i]);
    else if (arg === "--variants") opts.variants = variantList(argv[++i]);
    else if (arg === "--keep") opts.keep = true;
    else if (arg === "--no-write") opts.write = false;
    else throw new Error(`unknown option ${arg}; options: ${[...Object.keys(numbers), "--variants", "--keep", "--no-write"].join(" ")}`);
  }
  return opts;
}

function positiveInt(flag, value) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, not ${value}`);
  return n;
}

function variantList(value = "") {
  const names = value.split(",").filter(Boolean);
  const unknown = names.filter((n) => !(n in VARIANTS));
  if (names.length === 0 || unknown.length > 0) throw new Error(`--variants takes a comma list of ${Object.keys(VARIANTS).join(", ")}`);
  return names;
}

// ---- report -------------------------------------------------------------------------------

function renderReport({ opts, projection, memberships, results, machine }) {
  const users = projection.users.length;
  const kb = (bytes) => (bytes / 1024).toFixed(1);
  const rows = results.map((r) => {
    const s = r.state;
    return `| ${r.name} | ${kb(s.bytes)} KiB | ${Math.round(s.bytes / users)} | ${s.userBytes} | ${s.userProviderBytes || "–"} | ${s.userPositionBytes} (${s.userFrames} frames) | ${Math.round(s.positionBytes / users)} | ${r.upSeconds.toFixed(1)} | ${r.previewSeconds.toFixed(1)} (${r.previews.map((p) => p.toFixed(1)).join(", ")}) | ${r.load.map((l) => l.toFixed(1)).join(" → ")} |`;
  });
  const native = results.find((r) => r.name === "native");
  return [
    "# Provider choice: native vs dynamic at scale (issue #2)",
    "",
    `Generated by \`node bench/provider-choice/run.mjs${cliArgs(opts)}\` — do not edit by hand; see README.md for what each column means.`,
    "",
    `Inputs: ${users} users, ${projection.groups.length} groups, ${memberships} memberships (${(memberships / users).toFixed(2)} groups per user), seed ${opts.seed}. ` +
      `Resources in state: ${results[0]?.state.resources ?? "?"} (stack, component, provider, users, groups).`,
    "",
    "| variant | state file | state bytes/user | one user resource (bytes) | of which `__provider` | of which sourcePosition + stackTrace | positions+traces bytes/user (whole state) | up, create all (s) | no-change preview (s), median (runs) | load avg, start → end |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    ...results.map((r) => `- **${r.name}**: ${r.label}.`),
    "",
    ...(native ? ["One native user resource as stored (compact JSON in the file; indented here):", "", "```json", JSON.stringify(native.state.sample, null, 1), "```", ""] : []),
    "## Machine",
    "",
    `- date: ${machine.date}`,
    `- nproc: ${machine.nproc} (${machine.cpu})`,
    `- node: ${machine.node}; Pulumi CLI ${machine.pulumi}, @pulumi/pulumi ${machine.sdk}`,
    "- `free -g`:",
    "",
    "```",
    machine.free,
    "```",
    "",
  ].join("\n");
}

function cliArgs(opts) {
  const parts = [];
  for (const key of ["users", "groups", "perUser", "seed", "previews"]) {
    if (opts[key] !== DEFAULTS[key]) parts.push(`--${key === "perUser" ? "per-user" : key} ${opts[key]}`);
  }
  if (opts.variants.join(",") !== DEFAULTS.variants.join(",")) parts.push(`--variants ${opts.variants.join(",")}`);
  return parts.length ? ` ${parts.join(" ")}` : "";
}
