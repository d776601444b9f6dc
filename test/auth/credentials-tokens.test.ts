// Credentials, login/logout, tokens and Query.identity()/Query.token() (in-process).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setPasswordCost, DEFAULT_PASSWORD_COST } from '../../src/auth/passwords';
import { newService, ROOT, type TestService } from './service';

const unauthorized = { ok: false, status: 401, code: 'unauthorized', message: 'Access token required' };

describe('credentials and tokens', () => {
  let svc: TestService;
  let accountId: string;
  let credId: string;
  before(async () => {
    setPasswordCost(4);
    svc = await newService();
    await svc.data(ROOT, 'Collection.create({ name: "Account" })');
    accountId = (await svc.data(ROOT, 'Account.create({ email: "a@x" })')).id;
    const cred = await svc.data(ROOT, `Credential.create({ document: Account.byId("${accountId}"), password: "pass123456" })`);
    credId = cred.id;
  });
  after(async () => {
    setPasswordCost(DEFAULT_PASSWORD_COST);
    await svc.close();
  });

  it('never shows the password or its hash', async () => {
    const cred = await svc.data(ROOT, `Credential.byId("${credId}")`);
    assert.deepEqual(Object.keys(cred).sort(), ['coll', 'document', 'id', 'ts']);
    assert.equal(await svc.data(ROOT, `Credential.byId("${credId}")!.hashed_password`), null);
    assert.equal(await svc.data(ROOT, `Credential.byId("${credId}")!.password`), null);
    assert.equal(await svc.data(ROOT, 'Credential.all().toArray().length'), 1);
  });

  it('finds the credential of a document', async () => {
    assert.equal(await svc.data(ROOT, `Credential.byDocument(Account.byId("${accountId}"))!.id`), credId);
    const other = (await svc.data(ROOT, 'Account.create({ email: "b@x" })')).id;
    assert.equal(await svc.data(ROOT, `Credential.byDocument(Account.byId("${other}")).exists()`), false);
  });

  it('allows at most one credential per identity', async () => {
    const r = await svc.run(ROOT, `Credential.create({ document: Account.byId("${accountId}"), password: "x" })`);
    assert.equal(!r.ok && r.code, 'constraint_failure');
  });

  it('verifies passwords', async () => {
    assert.equal(await svc.data(ROOT, `Credential.byId("${credId}")!.verify("pass123456")`), true);
    assert.equal(await svc.data(ROOT, `Credential.byId("${credId}")!.verify("nope")`), false);
  });

  it('logs in with the right password only', async () => {
    const bad = await svc.run(ROOT, `Credential.byId("${credId}")!.login("nope")`);
    assert.deepEqual(bad, { ok: false, status: 400, code: 'invalid_secret', message: 'Provided secret did not match.' });
    assert.equal(await svc.data(ROOT, 'Token.all().toArray().length'), 0);
    const token = await svc.data(ROOT, `Credential.byId("${credId}")!.login("pass123456", Time.now().add(3600, "second"))`);
    assert.match(token.secret, /^fn/);
    assert.deepEqual(token.document, { id: accountId, coll: 'Account' });
    const ttlMs = Date.parse(token.ttl) - Date.parse(token.ts);
    assert.ok(Math.abs(ttlMs - 3_600_000) < 1000, String(ttlMs));
    // The secret is shown once.
    assert.equal((await svc.data(ROOT, `Token.byId("${token.id}")`)).secret, undefined);
    // The token acts as its identity.
    assert.equal(await svc.data(token.secret, `Query.identity() == Account.byId("${accountId}")`), true);
    assert.equal(await svc.data(token.secret, `Query.token() == Token.byId("${token.id}")`), true);
    // A token may read its own credential and token, nothing else without a role.
    assert.equal(await svc.data(token.secret, `Credential.byId("${credId}")!.id`), credId);
    assert.equal(await svc.data(token.secret, `Token.byId("${token.id}")!.id`), token.id);
    const denied = await svc.run(token.secret, `Account.byId("${accountId}")!.email`);
    // core FQL2ABACSpec.assertDenied: an unreadable document read through `!` is a null caused by the denial.
    assert.deepEqual(denied, { ok: false, status: 400, code: 'null_value', message: 'Null value, due to permission denied' });
    assert.deepEqual(await svc.data(token.secret, 'Account.all().toArray()'), []);
    // Logout.
    await svc.data(token.secret, 'Query.token()!.delete()');
    assert.deepEqual(await svc.run(token.secret, '1'), unauthorized);
  });

  it('a key has no identity and no token', async () => {
    assert.equal(await svc.data(ROOT, 'Query.identity()'), null);
    assert.equal(await svc.data(ROOT, 'Query.token()'), null);
    const err = await svc.run(ROOT, 'Query.identity()!');
    assert.equal(!err.ok && err.code, 'null_value');
  });

  it('tokens expire with their ttl', async () => {
    const token = await svc.data(ROOT, `Credential.byId("${credId}")!.login("pass123456", Time.now().add(1, "second"))`);
    assert.equal(await svc.data(token.secret, '1'), 1);
    await new Promise((r) => setTimeout(r, 1200));
    assert.deepEqual(await svc.run(token.secret, '1'), unauthorized);
  });

  it('Token.create, Token.byDocument and an identity that goes away', async () => {
    const acc = (await svc.data(ROOT, 'Account.create({ email: "c@x" })')).id;
    const t1 = await svc.data(ROOT, `Token.create({ document: Account.byId("${acc}"), data: { device: "phone" } })`);
    const t2 = await svc.data(ROOT, `Token.create({ document: Account.byId("${acc}") })`);
    assert.deepEqual(t1.data, { device: 'phone' });
    assert.deepEqual(await svc.data(ROOT, `Token.byDocument(Account.byId("${acc}")).map(.id).toArray()`), [t1.id, t2.id]);
    assert.equal(await svc.data(t1.secret, '1'), 1);
    await svc.data(ROOT, `Account.byId("${acc}")!.delete()`);
    assert.deepEqual(await svc.run(t1.secret, '1'), unauthorized);
    assert.deepEqual(await svc.run(t2.secret, '1'), unauthorized);
  });

  it('changes passwords with update and replace', async () => {
    await svc.data(ROOT, `Credential.byId("${credId}")!.update({ password: "second-pw" })`);
    assert.equal(await svc.data(ROOT, `Credential.byId("${credId}")!.verify("pass123456")`), false);
    assert.equal(await svc.data(ROOT, `Credential.byId("${credId}")!.verify("second-pw")`), true);
    await svc.data(ROOT, `Credential.byId("${credId}")!.replace({ password: "third-pw" })`);
    assert.equal(await svc.data(ROOT, `Credential.byId("${credId}")!.verify("third-pw")`), true);
    assert.equal(await svc.data(ROOT, `Credential.byId("${credId}")!.document == Account.byId("${accountId}")`), true);
    await svc.data(ROOT, `Credential.byId("${credId}")!.update({ data: { note: "kept" } })`);
    assert.equal(await svc.data(ROOT, `Credential.byId("${credId}")!.verify("third-pw")`), true);
  });

  it('deleting a credential frees the identity', async () => {
    await svc.data(ROOT, `Credential.byId("${credId}")!.delete()`);
    assert.equal(await svc.data(ROOT, `Credential.byDocument(Account.byId("${accountId}")).exists()`), false);
    credId = (await svc.data(ROOT, `Credential.create({ document: Account.byId("${accountId}"), password: "again" })`)).id;
    assert.equal(await svc.data(ROOT, `Credential.byId("${credId}")!.verify("again")`), true);
  });
});
