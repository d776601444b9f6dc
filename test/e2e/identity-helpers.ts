// Shared by the identity end-to-end suites: driver clients for arbitrary secrets and the
// assertions on Fauna's error shapes.
import assert from 'node:assert/strict';
import { Client, ServiceError, fql, type Query, type QueryValue } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';

export class Clients {
  private readonly open: Client[] = [];
  constructor(private readonly server: TestServer) {}

  /** A tagged-format client for `secret` that retries contention as much as Fauna allows. */
  as(secret: string): Client {
    const c = new Client({
      endpoint: new URL(this.server.url), secret, format: 'tagged', query_timeout_ms: 60_000, max_contention_retries: 7,
    });
    this.open.push(c);
    return c;
  }

  close(): void {
    for (const c of this.open.splice(0)) c.close();
  }
}

/** A fresh server with a child database `app`, and an admin client of it (the security suites' setting). */
export async function appDatabase(): Promise<{ server: TestServer; clients: Clients; admin: Client }> {
  const server = await startServer();
  const clients = new Clients(server);
  await data(clients.as('secret'), fql`Database.create({ name: "app" })`);
  return { server, clients, admin: clients.as('secret:app:admin') };
}

/** Run a query and return its data. */
export async function data<T = any>(client: Client, query: Query<QueryValue>): Promise<T> {
  return (await client.query(query)).data as T;
}

/** Assert that a query fails with `code` (and HTTP `status`); returns the error. */
export async function fails(client: Client, query: Query<QueryValue>, code: string, status = 400): Promise<ServiceError> {
  let caught: unknown;
  try {
    await client.query(query as never);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ServiceError, `expected a ServiceError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.httpStatus, status);
  return caught;
}

export const PERMISSION_DENIED = 'Insufficient privileges to perform the action.';
