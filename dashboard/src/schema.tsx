// The schema editor: the selected database's FSL files through /schema/1 (the same code paths
// as `fauna schema push/pull/diff/status/commit/abandon`). "Save" shows the diff against the
// active schema in a confirmation dialog; "Apply" makes it active. Staging is its own action,
// with the staged schema's status and diff and its commit and abandon. Errors are shown at
// their line and column; the text typed is kept whatever fails.
import { useEffect, useState } from 'preact/hooks';
import { SchemaFailed, schema } from './api';
import { Editor, type EditorMark } from './editor';
import { TextDiff } from './text-diff';
import { draftStore } from './drafts';
import type { Session } from './session';
import { ErrorMessage, Notice, errorText, notifyChanged } from './ui';

type Files = Record<string, string>;

// Unsaved edits survive tab switches, per database.
const drafts = draftStore<{ files: Files; current: string; active: Files }>();

async function loadFiles(secret: string, staged: boolean): Promise<Files> {
  const list = await schema(secret, 'GET', '/files', { staged: String(staged) });
  const files: Files = {};
  for (const f of list.files ?? []) {
    files[f.filename] = (await schema(secret, 'GET', `/files/${encodeURIComponent(f.filename)}`, { staged: String(staged) })).content ?? '';
  }
  return files;
}

/** `at main.fsl:5:3` in a schema error → where to mark it. */
export function errorMarks(message: string): { file: string; mark: EditorMark }[] {
  const out: { file: string; mark: EditorMark }[] = [];
  const first = /error:\s*(.*)/.exec(message)?.[1] ?? message.split('\n')[0];
  for (const m of message.matchAll(/at ([^\s:]+):(\d+):(\d+)/g)) {
    out.push({ file: m[1], mark: { line: Number(m[2]), column: Number(m[3]), message: first } });
  }
  return out;
}

interface Staged { status: string; diff: string }

export function SchemaView(props: { s: Session }) {
  const admin = props.s.as();
  const key = props.s.path.join('/');
  const [files, setFiles] = useState<Files | null>(drafts.get(key)?.files ?? null);
  // The active schema as last read or saved, to show line changes against it.
  const [active, setActive] = useState<Files>(drafts.get(key)?.active ?? {});
  const [current, setCurrent] = useState(drafts.get(key)?.current ?? 'main.fsl');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<{ diff: string; version?: number } | null>(null);
  const [staged, setStaged] = useState<Staged | null>(null);
  const [busy, setBusy] = useState(false);
  const [newName, setNewName] = useState('');
  if (files) drafts.set(key, { files, current, active });

  const refreshStaged = async () => {
    if (props.s.path.length === 0 && !props.s.secret.includes(':')) { setStaged(null); return; }
    try {
      const r = await schema(admin, 'GET', '/staged/status', { format: 'semantic' });
      setStaged({ status: r.status_ ?? 'none', diff: r.diff ?? '' });
    } catch {
      setStaged(null);
    }
  };

  const reloadFromServer = async () => {
    setError(null);
    try {
      const f = await loadFiles(admin, false);
      setActive({ ...f });
      if (Object.keys(f).length === 0) f['main.fsl'] = '';
      setFiles(f);
      setCurrent(Object.keys(f)[0]);
    } catch (e) {
      setError(`Could not read the schema: ${errorText(e)}`);
    }
    await refreshStaged();
  };

  useEffect(() => {
    if (files === null) reloadFromServer();
    else refreshStaged();
  }, [admin]);

  const step = async (what: string, fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await fn();
      notifyChanged();
    } catch (e) {
      setError(e instanceof SchemaFailed ? `${what} failed: ${e.message}` : `${what} failed: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const save = () => step('Checking the schema', async () => {
    const r = await schema(admin, 'POST', '/diff', { format: 'semantic', staged: 'false' }, files!);
    setConfirm({ diff: r.diff ?? '', version: r.version });
  });

  const apply = () => step('Saving the schema', async () => {
    const params: Record<string, string> = { staged: 'false' };
    if (confirm?.version !== undefined) params.version = String(confirm.version);
    else params.force = 'true';
    await schema(admin, 'POST', '/update', params, files!);
    setActive({ ...files! });
    setConfirm(null);
    await refreshStaged();
    setNotice('Schema saved: it is now active.');
  });

  const stage = () => step('Staging the schema', async () => {
    await schema(admin, 'POST', '/update', { staged: 'true', force: 'true' }, files!);
    await refreshStaged();
    setNotice('Schema staged: review it below, then commit or abandon it.');
  });

  const commit = () => step('Committing the staged schema', async () => {
    await schema(admin, 'POST', '/staged/commit', { force: 'true' });
    setActive(await loadFiles(admin, false));
    await refreshStaged();
    setNotice('Staged schema committed: it is now active.');
  });

  const abandon = () => step('Abandoning the staged schema', async () => {
    await schema(admin, 'POST', '/staged/abandon', { force: 'true' });
    await refreshStaged();
    setNotice('Staged schema abandoned.');
  });

  if (files === null) return <div><ErrorMessage message={error} />{!error && <p class="muted">Loading…</p>}</div>;
  const marks = error ? errorMarks(error).filter((m) => m.file === current).map((m) => m.mark) : [];
  const names = Object.keys(files);

  return (
    <div class="schema">
      <div class="toolbar">
        <label>File
          <select aria-label="File" value={current} onChange={(e) => setCurrent((e.target as HTMLSelectElement).value)}>
            {names.map((n) => <option value={n}>{n}</option>)}
          </select>
        </label>
        <form class="inline" onSubmit={(e) => {
          e.preventDefault();
          const n = newName.trim();
          if (!/^[\w./-]+\.fsl$/.test(n) || n.includes('..')) { setError('A schema file name ends in .fsl, e.g. roles.fsl.'); return; }
          setFiles({ ...files, [n]: files[n] ?? '' });
          setCurrent(n);
          setNewName('');
        }}>
          <input aria-label="New file name" placeholder="other.fsl" value={newName} onInput={(e) => setNewName((e.target as HTMLInputElement).value)} />
          <button type="submit">Add file</button>
        </form>
        <button type="button" onClick={save} disabled={busy}>Save</button>
        <button type="button" onClick={stage} disabled={busy}>Stage</button>
        <button type="button" class="link" disabled={busy}
          onClick={async () => { setNotice(null); await reloadFromServer(); setNotice('Showing the active schema.'); }}>Revert to active</button>
      </div>
      <Editor label="Schema" language="fsl" value={files[current] ?? ''} minLines={18} marks={marks}
        onChange={(t) => setFiles((f) => ({ ...f!, [current]: t }))} />
      {error && (
        <div role="alert">
          {errorMarks(error).map((m) => <p class="error">{m.file}: line {m.mark.line}, column {m.mark.column}: {m.mark.message}</p>)}
          <pre class="error code">{error}</pre>
        </div>
      )}
      <Notice message={notice} />
      {confirm && (
        <dialog open aria-label="Apply schema" class="card dialog">
          <h3>Changes to the active schema</h3>
          <pre class="code diff" data-testid="schema-diff">{confirm.diff || 'No changes.'}</pre>
          {Object.keys(files).filter((n) => (active[n] ?? '') !== files[n]).map((n) => (
            <TextDiff filename={n} original={active[n] ?? ''} modified={files[n]} />
          ))}
          <button type="button" onClick={apply} disabled={busy}>Apply</button>
          <button type="button" class="link" onClick={() => setConfirm(null)}>Cancel</button>
        </dialog>
      )}
      {staged && staged.status !== 'none' && (
        <section class="card" aria-label="Staged schema">
          <h3>Staged schema: <span data-testid="staged-status">{staged.status}</span></h3>
          <pre class="code diff">{staged.diff || 'No differences from the active schema.'}</pre>
          <button type="button" onClick={commit} disabled={busy || staged.status !== 'ready'}>Commit</button>
          <button type="button" class="danger" onClick={abandon} disabled={busy}>Abandon</button>
        </section>
      )}
    </div>
  );
}
