// The schema API against hostile FSL: what a secret that may read schema (admin, server,
// server-readonly) can make a diff cost.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { SchemaApi, useSchemaServer } from './schema-fixtures';

const lines = (n: number, prefix: string): string =>
  `${Array.from({ length: n }, (_, i) => `// ${prefix}${i}`).join('\n')}\ncollection Kept {}\n`;

describe('security: schema diffs cost bounded memory', () => {
  let api!: SchemaApi;
  let readonlyApi!: SchemaApi;
  useSchemaServer('hostilefsl', (s) => {
    api = s.api;
    readonlyApi = new SchemaApi(s.server.url, 'secret:hostilefsl:server-readonly');
  });

  it('a textual diff of two long files is answered, not a worker out of memory', async () => {
    // Two 15,000-line files: a longest-common-subsequence table of 225 million cells.
    assert.equal((await api.push({ 'main.fsl': lines(15_000, 'before') }, false)).status, 200);
    const started = performance.now();
    const r = await readonlyApi.diff({ 'main.fsl': lines(15_000, 'after') }, { format: 'textual' });
    assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
    const diff = r.body.diff!.split('\n');
    assert.equal(diff[0], 'main.fsl');
    assert.equal(diff[1], '@ line 1 to 15001');
    assert.equal(diff.filter((l) => l.startsWith('- // before')).length, 15_000);
    assert.equal(diff.filter((l) => l.startsWith('+ // after')).length, 15_000);
    assert.ok(performance.now() - started < 5_000, `answered after ${Math.round(performance.now() - started)} ms`);
  });

  it('a small change in a long file is still shown as its shortest edit', async () => {
    const after = lines(15_000, 'before').replace('// before7000\n', '// changed\n');
    const r = await readonlyApi.diff({ 'main.fsl': after }, { format: 'textual' });
    assert.equal(r.status, 200);
    assert.equal(r.body.diff, [
      'main.fsl', '@ line 6998 to 7004', '  // before6997', '  // before6998', '  // before6999',
      '- // before7000', '+ // changed', '  // before7001', '  // before7002', '  // before7003', '',
    ].join('\n'));
  });
});
