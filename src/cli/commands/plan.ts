import { createInterface } from "node:readline/promises";
import { preview, up } from "../../engine/operations.js";
import { changesFromEvents } from "../../evidence/changes.js";
import { summaryText } from "../../evidence/summary-text.js";
import { findProjectDir, progress } from "../context.js";
import { prepareStackRun } from "../stack-run.js";

/** `rolecall plan`: preview the stack and say, in people, what would change. */
export async function planCommand(opts: { stack: string }): Promise<void> {
  const run = await prepareStackRun(await findProjectDir(), opts.stack);
  progress(`previewing stack ${opts.stack}…`);
  const result = await preview(run.stack, progress);
  const changes = changesFromEvents(result.events, run.desired);
  process.stdout.write(summaryText(changes, run.desired, `Plan for stack ${opts.stack}, as of ${run.desired.asOf}:`) + "\n");
}

/** `rolecall apply`: preview, show the change, confirm, apply. */
export async function applyCommand(opts: { stack: string; yes?: boolean }): Promise<void> {
  const run = await prepareStackRun(await findProjectDir(), opts.stack);
  progress(`previewing stack ${opts.stack}…`);
  const planned = await preview(run.stack, progress);
  const changes = changesFromEvents(planned.events, run.desired);
  process.stdout.write(summaryText(changes, run.desired, `Plan for stack ${opts.stack}, as of ${run.desired.asOf}:`) + "\n");
  if (changes.users.length === 0 && changes.memberships.length === 0 && changes.groups.length === 0) return;
  if (!opts.yes && !(await confirm("Apply these changes?"))) {
    progress("nothing applied");
    return;
  }
  progress(`applying stack ${opts.stack}…`);
  const applied = await up(run.stack, progress);
  const done = changesFromEvents(applied.events, run.desired);
  process.stdout.write("\n" + summaryText(done, run.desired, `Applied to stack ${opts.stack}:`) + "\n");
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    progress("not a terminal and no --yes: nothing applied (pass --yes to apply unattended)");
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
