// Shared by the FQL v4 end-to-end suites: `faunadb` driver clients for a test server, the
// HTTP status of the last response (the driver hides 200 vs 201), and error assertions.
import assert from 'node:assert/strict';
import { Client, errors, type Expr } from 'faunadb';
import { after, before } from 'node:test';
import { startServer, type StartOptions, type TestServer } from '../helpers/server';

export class V4Clients {
  private readonly open: Client[] = [];
  /** Status of the most recent response seen by any client made here. */
  lastStatus = 0;
  constructor(private readonly server: TestServer) {}

  as(secret: string): Client {
    const c = new Client({
      secret, domain: '127.0.0.1', port: this.server.port, scheme: 'http',
      observer: (res) => { this.lastStatus = res.statusCode ?? 0; },
    });
    this.open.push(c);
    return c;
  }

  async close(): Promise<void> {
    await Promise.all(this.open.splice(0).map((c) => c.close({ force: true })));
  }
}

/** Assert that a v4 query fails with `code`, `description` and HTTP `status`. */
export async function v4Fails(client: Client, expr: Expr, code: string, status: number, description?: string): Promise<errors.FaunaHTTPError> {
  let caught: unknown;
  try {
    await client.query(expr);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof errors.FaunaHTTPError, `expected ${code}, got ${String(caught)}`);
  assert.equal(caught.requestResult.statusCode, status);
  if (status !== 401) {
    assert.equal(caught.message, code);
    if (description !== undefined) assert.equal(caught.description, description);
  }
  return caught;
}

/** The raw JSON errors of a failed query. */
export const errorsOf = (e: errors.FaunaHTTPError): { position: unknown[]; code: string; description: string; failures?: unknown[] }[] =>
  (e.requestResult.responseContent as unknown as { errors: never[] }).errors;

/** Refs are equal when the driver prints them the same (`Ref(Collection("users"), "1")`). */
export const sameRef = (a: unknown, b: unknown): boolean => String(a) === String(b);

/** Assert that a v4 query fails with `code` and `description` at `position` (HTTP status from the code). */
export async function v4FailsAt(client: Client, expr: Expr, code: string, description: string, position: unknown[]): Promise<void> {
  const status = code === 'value not found' || code === 'instance not found' ? 404 : code === 'permission denied' ? 403 : 400;
  const e = await v4Fails(client, expr, code, status, description);
  assert.deepEqual(errorsOf(e)[0].position, position);
}

/**
 * A suite's server: started before its tests with root `faunadb` clients, stopped after them.
 * `use` receives them once started (the suite keeps them in its own variables).
 */
export function useV4Server(use: (s: { server: TestServer; clients: V4Clients; root: Client }) => void, opts?: StartOptions): void {
  let server: TestServer | undefined;
  let clients: V4Clients | undefined;
  before(async () => {
    server = await startServer(opts);
    clients = new V4Clients(server);
    use({ server, clients, root: clients.as('secret') });
  });
  after(async () => {
    await clients?.close();
    await server?.dispose();
  });
}
