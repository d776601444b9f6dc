// Fresh PostgreSQL databases on the FQL_TEST_PG server, for tests that point several servers or
// tools at one database they create themselves.
import { Client } from 'pg';

let counter = 0;

/** Creates an empty database and returns its URL (same server and user as `baseUrl`). */
export async function freshPgDatabase(baseUrl: string): Promise<string> {
  const name = `fqltest_${process.pid}_${Date.now().toString(36)}_x${counter++}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(baseUrl);
  u.pathname = '/' + name;
  return u.toString();
}
