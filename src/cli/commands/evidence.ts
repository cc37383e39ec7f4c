import { verifyBundle } from "../../evidence/verify.js";
import { findProjectDir, RefusedError } from "../context.js";

/** `rolecall evidence verify DIR`: exit 0 only when the bundle holds. */
export async function evidenceVerify(dir: string): Promise<void> {
  const problems = await verifyBundle(dir, await findProjectDir());
  if (problems.length > 0) {
    process.stdout.write(problems.map((p) => `✗ ${p}`).join("\n") + "\n");
    throw new RefusedError(`${dir}: ${problems.length} problem${problems.length === 1 ? "" : "s"}; the evidence does not hold`);
  }
  process.stdout.write(`✓ ${dir}: files intact, inputs unchanged, applied = planned\n`);
}
