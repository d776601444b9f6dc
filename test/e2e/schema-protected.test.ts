// `fauna schema push` (/schema/1/update) into a protected database: the FSL changes core refuses
// and the errors it gives (core SchemaManagerSpec.scala "protected mode" / "forbids destructive
// changes": main.fsl pushes that delete the collection, lower history_days, drop an index), and
// what still goes through, checked with the `fauna` driver. A staged push may drop a backing
// index (core CollectionIndexManager.updateStaged: "Staged schema changes bypass protected mode").
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, fql } from 'fauna';
import { type Clients, data } from './identity-helpers';
import { type SchemaApi, useSchemaServer } from './schema-fixtures';

const SUFFIX = 'destructive change forbidden because database is in protected mode.';

const foo = (historyDays: number, indexes: readonly string[]): string =>
  `collection Foo {\n  history_days ${historyDays}\n${indexes.map((f) => `  index by${f.toUpperCase()} {\n    terms [.${f}]\n  }\n`).join('')}}`;

/** The location lines of a failure at the whole item `fsl` (main.fsl from 1:1). */
function atItem(fsl: string): string {
  const lines = fsl.split('\n');
  const width = String(lines.length).length;
  const gutter = ' '.repeat(width);
  const numbered = lines.map((l, i) => `${String(i + 1).padStart(width)} | ${i === 0 ? '  ' : '| '}${l}`);
  numbered.splice(1, 0, `${gutter} |  _^`);
  return ['at main.fsl:1:1', `${gutter} |`, ...numbered, `${gutter} | |_^`, `${gutter} |`].join('\n');
}

describe('schema API in a protected database', () => {
  let clients: Clients;
  let admin: Client;
  let api: SchemaApi;
  useSchemaServer('prot', (s) => ({ clients, admin, api } = s));

  const indexes = async () => data<string[]>(admin, fql`Object.keys(Foo.definition.indexes)`);

  it('pushes the collection, then the database is made protected', async () => {
    assert.equal((await api.push({ 'main.fsl': foo(30, ['x', 'y']) }, false)).status, 200);
    await data(clients.as('secret'), fql`Database.byName("prot")!.update({ protected: true })`);
    assert.equal(await data(admin, fql`Query.isEnvProtected()`), true);
  });

  it('refuses deleting the collection, and the files stay as they were', async () => {
    const before = await api.request('GET', '/files');
    const reply = await api.push({ 'main.fsl': '' }, false);
    assert.equal(reply.status, 400);
    // Core points at the deleted item's old span within the new (empty) file; here it is
    // shown where it was.
    assert.equal(reply.body.error!.message,
      `error: Failed to delete Collection \`Foo\`.\nconstraint failures:\n  Cannot delete collection: ${SUFFIX}\n${atItem(foo(30, ['x', 'y']))}`);
    assert.equal(await data(admin, fql`Collection.byName("Foo").exists()`), true);
    assert.deepEqual(await api.request('GET', '/files'), before);
  });

  it('refuses lowering history_days, pointing at the collection', async () => {
    const fsl = foo(15, ['x', 'y']);
    const reply = await api.push({ 'main.fsl': fsl }, false);
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error!.message,
      `error: Failed to update Collection \`Foo\`.\nconstraint failures:\n  Cannot decrease \`history_days\` field: ${SUFFIX}\n${atItem(fsl)}`);
    assert.equal(await data(admin, fql`Foo.definition.history_days`), 30);
  });

  it('refuses dropping an index that has its own backing index', async () => {
    const fsl = foo(60, ['x']);
    const reply = await api.push({ 'main.fsl': fsl }, false);
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error!.message,
      `error: Invalid database schema update.\n\nconstraint failures:\n  Cannot cause deletion of backing index: ${SUFFIX}\n${atItem(fsl)}`);
    assert.deepEqual(await indexes(), ['byX', 'byY']);
    assert.equal(await data(admin, fql`Foo.definition.history_days`), 30);
  });

  it('accepts raising history_days and adding an index or a function', async () => {
    const reply = await api.push({ 'main.fsl': `${foo(60, ['x', 'y', 'z'])}\n\nfunction F(x) {\n  x\n}\n` }, false);
    assert.equal(reply.status, 200);
    assert.deepEqual(await indexes(), ['byX', 'byY', 'byZ']);
    assert.equal(await data(admin, fql`Foo.definition.history_days`), 60);
    // Functions are not guarded: removing it goes through.
    assert.equal((await api.push({ 'main.fsl': foo(60, ['x', 'y', 'z']) }, false)).status, 200);
    assert.equal(await data(admin, fql`Function.byName("F").exists()`), false);
  });

  it('lets a staged push drop an index, but not delete the collection', async () => {
    const staged = await api.push({ 'main.fsl': foo(60, ['x', 'y']) }, true);
    assert.equal(staged.status, 200);
    assert.equal((await api.request('POST', '/staged/commit', { force: 'true' })).status, 200);
    assert.deepEqual(await indexes(), ['byX', 'byY']);
    const deletion = await api.push({ 'main.fsl': '' }, true);
    assert.equal(deletion.status, 400);
    assert.match(deletion.body.error!.message, /^error: Failed to delete Collection `Foo`\.\nconstraint failures:\n {2}Cannot delete collection: /);
    assert.equal((await api.request('GET', '/staged/status', { force: 'true' })).body.status, 'none');
  });
});
