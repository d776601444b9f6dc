// The seed workflow's identity workloads (scenario A): registration and login through the
// UDFs with a low-privilege key, next to bare bcrypt hashing at the server's cost factor in the
// same run (target: ≥ 90% of that rate), and reads with a token whose role has a predicate,
// next to the same read with an admin secret (target: ≤ 1.5× its latency).
import { hash } from '@node-rs/bcrypt';
import { Client, fql } from 'fauna';
import { DEFAULT_PASSWORD_COST } from '../src/auth/passwords';
import { startServer } from '../test/helpers/server';
import { measure, type Measurement, formatFigure, type Figure } from './harness';

export interface IdentityBenchOptions {
  readonly seconds: number;
  readonly concurrency: number;
  /** Run the server on this PostgreSQL URL instead of SQLite. */
  readonly storage?: string;
}

const PASSWORD = 'pass123456';
const LOGIN_USERS = 32;

const SCHEMA = [
  `Collection.create({ name: "Account", indexes: { byEmail: { terms: [{ field: ".email" }] } },
    constraints: [{ unique: [{ field: ".email" }] }] })`,
  'Collection.create({ name: "Movie" })',
  `Function.create({ name: "UserRegistration", body: "(email, password) => {
    let acc = Account.create({ email: email })
    Credential.create({ document: acc, password: password })
  }" })`,
  `Function.create({ name: "UserLogin", body: "(email, password) => {
    let acc = Account.byEmail(email)!.first()
    Credential.byDocument(acc)!.login(password, Time.now().add(3600, 'second'))
  }" })`,
  `Role.create({ name: "UnAuthRole", privileges: [
    { resource: "UserRegistration", actions: { call: true } },
    { resource: "UserLogin", actions: { call: true } },
    { resource: "Account", actions: { create: true, read: true } },
    { resource: "Credential", actions: { create: true, read: true } },
    { resource: "Token", actions: { create: true } }] })`,
  `Role.create({ name: "AuthRole", membership: { resource: "Account" },
    privileges: { resource: "Movie", actions: { read: "(movie) => movie.public == true" } } })`,
];

export async function identityWorkloads(opts: IdentityBenchOptions): Promise<Measurement[]> {
  const server = await startServer(opts.storage ? { storage: opts.storage } : {});
  const clients: Client[] = [];
  const client = (secret: string) => {
    const c = new Client({ endpoint: new URL(server.url), secret, format: 'tagged', query_timeout_ms: 60_000, max_contention_retries: 7 });
    clients.push(c);
    return c;
  };
  try {
    const admin = client('secret');
    for (const q of SCHEMA) await admin.query(fql([q]));
    const movieId = (await admin.query<{ id: string }>(fql`Movie.create({ title: "Alien", public: true })`)).data.id;
    const key = client((await admin.query<{ secret: string }>(fql`Key.create({ role: "UnAuthRole" })`)).data.secret);
    for (let u = 0; u < LOGIN_USERS; u++) await key.query(fql`UserRegistration(${`login${u}@example.com`}, ${PASSWORD})`);
    const token = (await key.query<{ secret: string }>(fql`UserLogin("login0@example.com", ${PASSWORD})`)).data.secret;
    const user = client(token);

    const out: Measurement[] = [];
    const { seconds, concurrency } = opts;
    out.push(await measure(`bcrypt: hash (cost ${DEFAULT_PASSWORD_COST})`, concurrency, seconds, () => hash(PASSWORD, DEFAULT_PASSWORD_COST)));
    out.push(await measure('seed: registration', concurrency, seconds, (w, i) =>
      key.query(fql`UserRegistration(${`user-${w}-${i}-${Date.now()}@example.com`}, ${PASSWORD})`)));
    out.push(await measure('seed: login', concurrency, seconds, (w, i) =>
      key.query(fql`UserLogin(${`login${(w + i) % LOGIN_USERS}@example.com`}, ${PASSWORD})`)));
    out.push(await measure('seed: read as admin', concurrency, seconds, () => admin.query(fql`Movie.byId(${movieId})!.title`)));
    out.push(await measure('seed: read as token (predicate)', concurrency, seconds, () => user.query(fql`Movie.byId(${movieId})!.title`)));
    return out;
  } finally {
    for (const c of clients) c.close();
    await server.dispose();
  }
}

/** The seed workflow's targets, computed from identityWorkloads' measurements. */
export function identityTargets(ms: readonly Measurement[]): Figure[] {
  const by = (prefix: string) => ms.find((m) => m.name.startsWith(prefix));
  const bcrypt = by('bcrypt: hash');
  const out: Figure[] = [];
  for (const name of ['seed: registration', 'seed: login']) {
    const m = by(name);
    if (!bcrypt || !m) continue;
    const ratio = Math.round((m.opsPerSec / bcrypt.opsPerSec) * 1000) / 1000;
    out.push({ name: `${name} / bare bcrypt rate`, value: ratio, target: '>= 0.9', met: ratio >= 0.9 });
  }
  const adminRead = by('seed: read as admin');
  const tokenRead = by('seed: read as token');
  if (adminRead && tokenRead) {
    const ratio = Math.round((tokenRead.p50Ms / adminRead.p50Ms) * 1000) / 1000;
    out.push({ name: 'predicate read p50 / admin read p50', value: ratio, target: '<= 1.5', met: ratio <= 1.5 });
  }
  return out;
}

if (require.main === module) {
  const seconds = Number(process.argv[2] ?? 3);
  identityWorkloads({ seconds, concurrency: 8 }).then((ms) => {
    for (const m of ms) console.log(`${m.name.padEnd(34)} ${String(m.opsPerSec).padStart(8)} ops/s  p50 ${m.p50Ms} ms  errors ${m.errors}`);
    for (const t of identityTargets(ms)) console.log(formatFigure(t));
  }, (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
