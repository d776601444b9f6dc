// Shared by the schema API suites: scenario A's FSL (seed-scenarios.md) and a small client for
// /schema/1 that sends files the way the fauna CLI does (multipart/form-data, one part per file).
import { after, before } from 'node:test';
import { type Client, fql } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { Clients, data } from './identity-helpers';
/** Scenario A's collections alone (the dashboard suite pushes them before building the rest in forms). */
export const SCENARIO_A_COLLECTIONS_FSL = `collection Account {
  history_days 0
  index byEmail {
    terms [.email]
  }
  unique [.email]
}

collection Movie {
  history_days 0
}
`;

export const SCENARIO_A_FSL = `${SCENARIO_A_COLLECTIONS_FSL}
function UserRegistration(email, password) {
  let acc = Account.create({ email: email })
  Credential.create({ document: acc, password: password })
}

function UserLogin(email, password) {
  let acc = Account.byEmail(email)!.first()
  Credential.byDocument(acc)!.login(password, Time.now().add(3600, "second"))
}

function UserLogout() {
  Query.token()!.delete()
}

// The key that ships with the client app gets this role.
role UnAuthRole {
  privileges UserRegistration { call }
  privileges UserLogin { call }
  privileges Account { create read }
  privileges Credential { create read }
  privileges Token { create }
}

// Every token whose identity is an Account document gets this role.
role AuthRole {
  membership Account
  privileges Movie { read }
  privileges UserLogout { call }
}
`;

export interface SchemaReply {
  readonly status: number;
  readonly body: {
    version?: number; diff?: string; status?: string; pending_summary?: string; content?: string;
    files?: { filename: string }[]; error?: { message: string; code?: string };
  };
}

export class SchemaApi {
  constructor(private readonly url: string, private readonly secret: string) {}

  async request(method: string, path: string, params: Record<string, string> = {}, files?: Record<string, string>): Promise<SchemaReply> {
    const query = new URLSearchParams(params).toString();
    let body: FormData | undefined;
    if (files) {
      body = new FormData();
      for (const [name, content] of Object.entries(files)) body.set(name, new Blob([content]));
    }
    const res = await fetch(`${this.url}/schema/1${path}${query ? `?${query}` : ''}`, {
      method, body, headers: { authorization: `Bearer ${this.secret}` },
    });
    return { status: res.status, body: await res.json() as SchemaReply['body'] };
  }

  push(files: Record<string, string>, staged: boolean): Promise<SchemaReply> {
    return this.request('POST', '/update', { force: 'true', staged: String(staged) }, files);
  }

  diff(files: Record<string, string>, params: Record<string, string> = {}): Promise<SchemaReply> {
    return this.request('POST', '/diff', { force: 'true', ...params }, files);
  }

  async file(name: string, staged = false): Promise<string | undefined> {
    return (await this.request('GET', `/files/${encodeURIComponent(name)}`, { staged: String(staged) })).body.content;
  }
}

/**
 * A schema API suite's server: started before its tests with a child database `db`, an admin
 * client scoped to it and a schema API client; stopped after them. `use` receives them.
 */
export function useSchemaServer(db: string, use: (s: { server: TestServer; clients: Clients; admin: Client; api: SchemaApi }) => void): void {
  let server: TestServer | undefined;
  let clients: Clients | undefined;
  before(async () => {
    server = await startServer();
    clients = new Clients(server);
    await data(clients.as('secret'), fql`Database.create({ name: ${db} })`);
    use({ server, clients, admin: clients.as(`secret:${db}:admin`), api: new SchemaApi(server.url, `secret:${db}:admin`) });
  });
  after(async () => {
    clients?.close();
    await server?.dispose();
  });
}
