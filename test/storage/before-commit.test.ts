// Work registered to precede a transaction's commit (src/storage/before-commit.ts): keyed, so
// it runs once however often it is registered; run at the latest by every request
// transaction's commit (SizeLimitedTxn), before the writes reach the engine, including the
// tasks those tasks register; a read that needs one runs it early, and it does not run again.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SizeLimitedTxn } from '../../src/storage/size-limited-txn';
import { beforeCommit, runPending } from '../../src/storage/before-commit';
import { recordingTxn } from '../helpers/recording-txn';

describe('beforeCommit', () => {
  it('runs each keyed task once, before the commit, with the tasks they register', async () => {
    const inner = recordingTxn();
    const txn = new SizeLimitedTxn(inner);
    beforeCommit(txn, 'a', async () => { txn.put(new Uint8Array([1]), new Uint8Array(1)); beforeCommit(txn, 'b', async () => txn.delete(new Uint8Array([2]))); });
    beforeCommit(txn, 'a', async () => { inner.log.push('second registration of a'); });
    await txn.commit();
    assert.deepEqual(inner.log, ['put 1', 'delete 2', 'commit']);
  });

  it('runs a task early for a read that needs it, and not again at the commit', async () => {
    const inner = recordingTxn();
    const txn = new SizeLimitedTxn(inner);
    let runs = 0;
    beforeCommit(txn, 'refresh', async () => { runs++; });
    assert.equal(await runPending(txn, 'refresh'), true);
    assert.equal(await runPending(txn, 'refresh'), false);
    await txn.commit();
    assert.equal(runs, 1);
  });

  it('runs nothing for a transaction that rolls back', async () => {
    const inner = recordingTxn();
    const txn = new SizeLimitedTxn(inner);
    beforeCommit(txn, 'a', async () => { inner.log.push('ran'); });
    await txn.rollback();
    assert.deepEqual(inner.log, ['rollback']);
  });
});
