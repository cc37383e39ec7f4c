import { createRequire } from "node:module";

/**
 * The engine must match the SDK it drives: the CLI version is the pinned @pulumi/pulumi
 * version, read from the installed package so there is one place to change it.
 */
export const PULUMI_VERSION: string = (createRequire(import.meta.url)("@pulumi/pulumi/package.json") as { version: string }).version;
