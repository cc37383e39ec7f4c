/** Something missing or wrong on this machine, not in the inputs: the CLI exits 2 and says what to do. */
export class EnvironmentError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = "EnvironmentError";
  }
}

/**
 * The engine could not run, or an update ran and some of its steps failed. Carries the causes
 * in a few lines (the targets' and the engine's own error messages) and the log file holding
 * the engine's whole output; the CLI prints those, never the output itself.
 */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly causes: readonly string[],
    readonly logFile: string,
    /** "environment": nothing ran (exit 2); "update": an update ran and failed (exit 4). */
    readonly kind: "environment" | "update",
  ) {
    super(message);
    this.name = "EngineError";
  }
}
