import { ConfigError } from '../config';
import { DomainError } from '../domain/errors';
import { MigrationError } from '../store/migrate';
import { PlanFileError } from '../plans/plan-files';

/** A mistake in how a command was called: exit code 2. */
export class UsageError extends Error {}

const EXPECTED = [ConfigError, DomainError, MigrationError, PlanFileError];

/**
 * Runs a command-line entry point: a known failure prints one line to stderr and exits non-zero
 * (2 for usage, 1 otherwise); anything else is a bug and keeps its stack trace.
 */
export function runCli(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`${name}: ${error.message}\n`);
        process.exit(2);
      }
      if (EXPECTED.some((type) => error instanceof type)) {
        process.stderr.write(`${name}: ${(error as Error).message}\n`);
        process.exit(1);
      }
      process.stderr.write(`${name}: unexpected failure\n${(error as Error)?.stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
