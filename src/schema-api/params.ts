// Query parameters of the schema endpoints (core `SchemaRequest.Authenticated`). The published
// CLI still sends the legacy `diff=` instead of `format=`, and `force=true`; both are accepted.
export type DiffFormat = 'semantic' | 'summary' | 'textual';

export interface SchemaParams {
  /** `version=<µs>`: the schema version the client last saw. */
  readonly version?: bigint;
  readonly force: boolean;
  readonly staged: boolean;
  /** Files not submitted are deleted unless `override=false`. */
  readonly override: boolean;
  readonly format?: DiffFormat;
  readonly color: boolean;
}

function diffFormat(q: URLSearchParams): DiffFormat | undefined {
  const format = q.get('format');
  if (format === 'semantic' || format === 'summary' || format === 'textual') return format;
  const legacy = q.get('diff');
  if (legacy === 'true' || legacy === 'semantic') return 'semantic';
  if (legacy === 'summary' || legacy === 'textual') return legacy;
  return undefined;
}

export function parseParams(q: URLSearchParams): SchemaParams {
  const v = q.get('version');
  return {
    version: v !== null && /^-?\d+$/.test(v) ? BigInt(v) : undefined,
    force: q.get('force') === 'true',
    staged: q.get('staged') === 'true',
    override: q.get('override') !== 'false',
    format: diffFormat(q),
    color: q.get('color') === 'ansi',
  };
}
