/**
 * The engine starts a resource plugin as `<plugin> [-v=N] [--logtostderr] [--tracing <url>] <engine address>`
 * (sdk/go/common/resource/plugin/plugin.go); the address is the first positional argument.
 */
export function parseProviderArgs(argv: readonly string[]): { engineAddress: string | undefined } {
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--tracing") i++;
    else if (!arg.startsWith("-")) positional.push(arg);
  }
  return { engineAddress: positional[0] };
}
