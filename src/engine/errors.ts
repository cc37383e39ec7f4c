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
