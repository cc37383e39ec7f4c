#!/usr/bin/env node
import { runCli } from "../dist/cli/main.js";

// `rolecall sandbox ls | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv);
