import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { rolecallDir } from "./workspace.js";

/**
 * The engine's whole output for one run, in a file only its owner can read: it names every
 * person the run touches, so it never goes to the terminal or the evidence. Failures print
 * its path and a few lines of cause instead.
 */
export class EngineLog {
  private constructor(
    readonly file: string,
    private readonly out: WriteStream,
  ) {}

  /** `.rolecall/logs/<stack>-<UTC time>-<verb>.log`, created with mode 0600. */
  static async open(projectDir: string, stack: string, verb: string, at = new Date()): Promise<EngineLog> {
    const dir = path.join(rolecallDir(projectDir), "logs");
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const stamp = at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    const file = path.join(dir, `${stack}-${stamp}-${verb}-${process.pid}.log`);
    return new EngineLog(file, createWriteStream(file, { flags: "a", mode: 0o600 }));
  }

  write(text: string): void {
    this.out.write(text);
  }

  /** A line of rolecall's own (what it decided, recovered or saw) among the engine's output. */
  note(line: string): void {
    this.out.write(`[rolecall ${new Date().toISOString()}] ${line}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(resolve));
  }
}
