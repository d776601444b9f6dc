// `/schema/1/*` (core `SchemaEndpoint`): the FSL files of the database a secret is scoped to,
// pushing them (to the active schema, or staged for a later commit), diffs, and the staged
// schema's status, commit and abandon. See README "Schema API and the fauna CLI".
import type { Credentials } from '../auth/credentials';
import { isBuiltin } from '../auth/principal';
import { parseAuthorization } from '../auth/secret-parse';
import type { Handler, ServerRequest, ServerResponse } from '../server/http-types';
import { jsonResponse } from '../server/responses';
import { ROOT_DB } from '../model/keys';
import { applyFiles } from './apply';
import { markStagedSchema } from '../model/definitions/protected-mode';
import { renderDiff } from './diff-render';
import {
  FORBIDDEN, METHOD_NOT_ALLOWED, NOT_FOUND, STALE_VERSION, SchemaApiError, badRequest, errorResponse,
} from './errors';
import { parseMultipart } from './multipart';
import { type SchemaParams, parseParams } from './params';
import { activeFiles, parseFiles, withoutBlank } from './schema-files';
import { type SchemaSession, type SessionOptions, inSession } from './session';
import {
  type FileMap, clearFiles, hasStaged, readFiles, setStaged, writeFiles,
} from './source-store';

/** The storage engine, and `isRoot(credentials)`: is the secret (before any scope) a root secret. */
export type SchemaEndpointOptions = SessionOptions;

type Access = 'read' | 'write';

interface Call {
  readonly req: ServerRequest;
  readonly params: SchemaParams;
  readonly credentials: Credentials | null;
}

const ok = (body: Record<string, unknown>): ServerResponse =>
  jsonResponse(200, JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));

function checkAccess(s: SchemaSession, access: Access): void {
  const p = s.principal;
  const mayRead = isBuiltin(p, 'admin') || isBuiltin(p, 'server') || isBuiltin(p, 'server-readonly');
  if (access === 'read' ? !mayRead : !isBuiltin(p, 'admin')) throw FORBIDDEN();
}

/** Core `checkSchemaVersion`: `version` must be the current one unless `force=true`. */
async function checkVersion(s: SchemaSession, params: SchemaParams): Promise<bigint> {
  const current = await s.model.schemaVersion();
  if (!params.force && params.version !== undefined && params.version !== current) throw STALE_VERSION();
  return current;
}

function disallowRoot(s: SchemaSession): void {
  if (s.principal.db === ROOT_DB) throw badRequest('Schema cannot be staged in the root database');
}

/** The files of the staged schema if there is one, else of the active schema. */
async function latestFiles(s: SchemaSession): Promise<Map<string, string>> {
  return (await hasStaged(s.kv, s.model.db)) ? readFiles(s.kv, s.model.db, 'staged') : activeFiles(s.model);
}

async function submittedFiles(req: ServerRequest, override: boolean, previous: FileMap): Promise<Map<string, string>> {
  const files = new Map(parseMultipart(req.headers['content-type'], await req.body()).map((f) => [f.filename, f.content]));
  return withoutBlank(override ? files : new Map([...previous, ...files]));
}

export function createSchemaEndpoint(opts: SchemaEndpointOptions): Handler {
  const session = <T>(c: Call, readOnly: boolean, work: (s: SchemaSession) => Promise<T>, extra: { commit?: boolean; schemaDryRun?: boolean } = {}) =>
    inSession(opts, { credentials: c.credentials, readOnly, commit: extra.commit ?? !readOnly, schemaDryRun: extra.schemaDryRun }, work);

  const files = (c: Call) => session(c, true, async (s) => {
    checkAccess(s, 'read');
    const version = await checkVersion(s, c.params);
    const set = c.params.staged ? await latestFiles(s) : await activeFiles(s.model);
    return ok({ version, files: [...set.keys()].map((filename) => ({ filename })) });
  });

  const file = (c: Call, name: string) => session(c, true, async (s) => {
    checkAccess(s, 'read');
    const version = await checkVersion(s, c.params);
    const set = c.params.staged ? await latestFiles(s) : await activeFiles(s.model);
    const content = set.get(name);
    if (content === undefined) throw NOT_FOUND();
    return ok({ version, content });
  });

  const update = async (c: Call): Promise<ServerResponse> => {
    // Validate by applying the files in a transaction that is rolled back, then store them
    // (staged) or apply them for real (active).
    let submitted: Map<string, string> | undefined;
    const prepare = async (s: SchemaSession): Promise<Map<string, string>> => {
      checkAccess(s, 'write');
      await checkVersion(s, c.params);
      if (c.params.staged) disallowRoot(s);
      else if (await hasStaged(s.kv, s.model.db)) {
        throw badRequest('Cannot update the active schema while a schema is staged. Commit or abandon the staged schema first.');
      }
      const previous = c.params.staged ? await latestFiles(s) : await readFiles(s.kv, s.model.db, 'active');
      submitted ??= await submittedFiles(c.req, c.params.override, previous);
      return submitted;
    };
    if (c.params.staged) {
      await session(c, false, async (s) => {
        // A staged schema may drop backing indexes in a protected database (core updateStaged).
        markStagedSchema(s.kv);
        await applyFiles(s, parseFiles(await prepare(s)));
      }, { commit: false });
      return session(c, false, async (s) => {
        const staged = await prepare(s);
        await writeFiles(s.kv, s.model.db, 'staged', staged);
        setStaged(s.kv, s.model.db, true);
        s.model.bumpSchemaVersion();
        return ok({ version: s.kv.ts });
      });
    }
    return session(c, false, async (s) => {
      const active = await prepare(s);
      await applyFiles(s, parseFiles(active));
      await writeFiles(s.kv, s.model.db, 'active', active);
      s.model.bumpSchemaVersion();
      return ok({ version: s.kv.ts });
    });
  };

  const diff = (c: Call) => session(c, false, async (s) => {
    checkAccess(s, 'read');
    const version = await checkVersion(s, c.params);
    const before = c.params.staged ? await latestFiles(s) : await activeFiles(s.model);
    const after = await submittedFiles(c.req, c.params.override, before);
    await applyFiles(s, parseFiles(after));
    return ok({ version, diff: renderDiff(c.params.format ?? 'semantic', before, after) });
  }, { commit: false, schemaDryRun: true });

  const status = (c: Call) => session(c, true, async (s) => {
    checkAccess(s, 'read');
    const version = await checkVersion(s, c.params);
    disallowRoot(s);
    const staged = await hasStaged(s.kv, s.model.db);
    const state = staged ? 'ready' : 'none';
    if (c.params.format === undefined) return ok({ version, status: state });
    const diffText = staged ? renderDiff(c.params.format, await activeFiles(s.model), await readFiles(s.kv, s.model.db, 'staged')) : '';
    return ok({ version, status: state, pending_summary: '', diff: diffText });
  });

  const commit = (c: Call) => session(c, false, async (s) => {
    checkAccess(s, 'write');
    disallowRoot(s);
    await checkVersion(s, c.params);
    if (!(await hasStaged(s.kv, s.model.db))) throw badRequest('There is no staged schema to commit');
    const staged = await readFiles(s.kv, s.model.db, 'staged');
    markStagedSchema(s.kv); // as it was validated when staged (core commitStaged checks nothing)
    await applyFiles(s, parseFiles(staged));
    await writeFiles(s.kv, s.model.db, 'active', staged);
    await clearFiles(s.kv, s.model.db, 'staged');
    setStaged(s.kv, s.model.db, false);
    s.model.bumpSchemaVersion();
    return ok({ version: s.kv.ts });
  });

  const abandon = (c: Call) => session(c, false, async (s) => {
    checkAccess(s, 'write');
    disallowRoot(s);
    await checkVersion(s, c.params);
    if (!(await hasStaged(s.kv, s.model.db))) throw badRequest('There is no staged schema to abandon');
    await clearFiles(s.kv, s.model.db, 'staged');
    setStaged(s.kv, s.model.db, false);
    s.model.bumpSchemaVersion();
    return ok({ version: s.kv.ts });
  });

  /** The route for a path below /schema/1 and the method it takes. */
  function route(path: string): { method: string; run: (c: Call) => Promise<ServerResponse> } | undefined {
    const rest = path.replace(/^\/schema\/1/, '').replace(/\/$/, '');
    if (rest === '/files') return { method: 'GET', run: files };
    if (rest.startsWith('/files/')) {
      let name: string;
      try {
        name = decodeURIComponent(rest.slice('/files/'.length));
      } catch {
        return undefined;
      }
      return { method: 'GET', run: (c) => file(c, name) };
    }
    switch (rest) {
      case '/update': return { method: 'POST', run: update };
      case '/diff': case '/validate': return { method: 'POST', run: diff };
      case '/status': case '/staged/status': return { method: 'GET', run: status };
      case '/commit': case '/staged/commit': return { method: 'POST', run: commit };
      case '/abandon': case '/staged/abandon': return { method: 'POST', run: abandon };
      default: return undefined;
    }
  }

  return async (req: ServerRequest): Promise<ServerResponse> => {
    try {
      const r = route(req.path);
      const call: Call = { req, params: parseParams(req.query), credentials: parseAuthorization(req.headers.authorization) };
      if (!r || req.method !== r.method) {
        // Core authenticates and checks the right to read schema before routing: 401 and 403
        // come before 404 and 405.
        await session(call, true, async (s) => checkAccess(s, 'read'));
        throw r ? METHOD_NOT_ALLOWED() : NOT_FOUND();
      }
      return await r.run(call);
    } catch (e) {
      if (e instanceof SchemaApiError) return errorResponse(e);
      throw e;
    }
  };
}
