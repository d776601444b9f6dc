// Command-line parsing shared by the export and import tools: `--flag value` pairs, boolean
// flags, and which store to open. An explicit --storage or --data wins; otherwise the server's
// environment variables apply (DATABASE_URL, then FAUNA_DATA_DIR / DATA_DIR), then ./data.
import type { StorageSpec } from '../storage/open';

export class UsageError extends Error {}

export interface ParsedArgs {
  readonly values: ReadonlyMap<string, string>;
  readonly flags: ReadonlySet<string>;
}

export function parseArgs(argv: readonly string[], valueNames: readonly string[], flagNames: readonly string[]): ParsedArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!argv[i].startsWith('--')) throw new UsageError(`unexpected argument ${argv[i]}`);
    if (flagNames.includes(name)) flags.add(name);
    else if (valueNames.includes(name)) {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      values.set(name, v);
    } else throw new UsageError(`unknown option ${argv[i]}`);
  }
  return { values, flags };
}

const nonEmpty = (s: string | undefined): string | undefined => (s === undefined || s === '' ? undefined : s);

export function storageSpec(args: ParsedArgs, env: NodeJS.ProcessEnv): StorageSpec {
  const url = args.values.get('storage');
  if (url !== undefined) return { url };
  const dataDir = args.values.get('data');
  if (dataDir !== undefined) return { dataDir };
  const envUrl = nonEmpty(env.DATABASE_URL);
  if (envUrl !== undefined) return { url: envUrl };
  return { dataDir: nonEmpty(env.FAUNA_DATA_DIR) ?? nonEmpty(env.DATA_DIR) ?? './data' };
}

/** The store for messages, without a password. */
export function describeStorage(spec: StorageSpec): string {
  if ('dataDir' in spec) return `sqlite ${spec.dataDir}`;
  try {
    const u = new URL(spec.url);
    if (u.password) u.password = '***';
    return `postgres ${u.toString()}`;
  } catch {
    return 'postgres <invalid url>';
  }
}

/** Runs a tool's main; usage errors exit 2, other failures 1. */
export function runTool(usage: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n\n${usage}`);
      process.exit(2);
    }
    process.stderr.write(`error: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  });
}
