// The shell: an FQL editor run in the selected database as Admin, Server, Server read-only,
// a user role, a document identity or any secret; the answer in the decorated format with
// `summary` diagnostics (carets and all), stats and txn_ts. Errors, 401 included, land in the
// Result region. What was typed survives tab switches, failures and server restarts.
import { useState } from 'preact/hooks';
import { type QueryReply, type RunAs, query } from './api';
import { Editor } from './editor';
import { completionWords, loadNames } from './names';
import type { Session } from './session';
import { draftStore } from './drafts';
import { errorText, useLoad } from './ui';

type RunAsChoice = 'admin' | 'server' | 'server-readonly' | 'doc' | 'secret' | `role:${string}`;

// Survives unmounting (tab switches): drafts per database, history across databases.
const drafts = draftStore<{ text: string; choice: RunAsChoice; other: string; doc: string }>();
const HISTORY_KEY = 'fql-dashboard-history';

function readHistory(): string[] {
  try { return JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]') as string[]; } catch { return []; }
}

function runAsOf(choice: RunAsChoice, other: string, doc: string): RunAs | string {
  switch (choice) {
    case 'admin': case 'server': case 'server-readonly': return { kind: 'builtin', role: choice };
    case 'secret': return other.trim() ? { kind: 'secret', secret: other.trim() } : 'Enter the secret to run as.';
    case 'doc': {
      const m = /^\s*([A-Za-z_]\w*)\s*[/(]\s*"?(\d+)"?\s*\)?\s*$/.exec(doc);
      return m ? { kind: 'doc', coll: m[1], id: m[2] } : 'Enter the identity document as Collection/id, e.g. Account/123.';
    }
    default: return { kind: 'role', name: choice.slice('role:'.length) };
  }
}

type Outcome = { kind: 'reply'; reply: QueryReply<string>; ranAs: string } | { kind: 'failure'; message: string };

export function ShellView(props: { s: Session }) {
  const key = props.s.path.join('/');
  const draft = drafts.get(key) ?? { text: '', choice: 'admin' as RunAsChoice, other: '', doc: '' };
  const [text, setText] = useState(draft.text);
  const [choice, setChoice] = useState<RunAsChoice>(draft.choice);
  const [other, setOther] = useState(draft.other);
  const [doc, setDoc] = useState(draft.doc);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [history, setHistory] = useState<string[]>(readHistory);
  const [typecheck, setTypecheck] = useState(false);
  // Completed runs, exposed on the Result region so that tests and tools can wait for the next one.
  const [runs, setRuns] = useState(0);
  const [names] = useLoad(() => loadNames(props.s.as()), [props.s.secret, key]);
  drafts.set(key, { text, choice, other, doc });

  const run = async () => {
    const as = runAsOf(choice, other, doc);
    if (typeof as === 'string') { setOutcome({ kind: 'failure', message: as }); setRuns((n) => n + 1); return; }
    if (!text.trim()) { setOutcome({ kind: 'failure', message: 'Type a query first.' }); setRuns((n) => n + 1); return; }
    setBusy(true);
    try {
      const reply = await query<string>(props.s.as(as), text, { format: 'decorated', typecheck: typecheck || undefined });
      setOutcome({ kind: 'reply', reply, ranAs: describeRunAs(as) });
      const h = [text, ...history.filter((x) => x !== text)].slice(0, 50);
      setHistory(h);
      localStorage.setItem(HISTORY_KEY, JSON.stringify(h));
    } catch (e) {
      setOutcome({ kind: 'failure', message: errorText(e) });
    } finally {
      setBusy(false);
      setRuns((n) => n + 1);
    }
  };

  const roles = names.state === 'ok' ? names.value.roles : [];
  return (
    <div class="shell">
      <div class="toolbar">
        <label>Run as
          <select aria-label="Run as" value={choice} onChange={(e) => setChoice((e.target as HTMLSelectElement).value as RunAsChoice)}>
            <option value="admin">Admin</option>
            <option value="server">Server</option>
            <option value="server-readonly">Server read-only</option>
            {roles.map((r) => <option value={`role:${r}`}>Role: {r}</option>)}
            <option value="doc">Document identity…</option>
            <option value="secret">Secret…</option>
          </select>
        </label>
        {choice === 'secret' && (
          <label>Secret to run as
            <input aria-label="Secret to run as" type="password" autoComplete="off" value={other} onInput={(e) => setOther((e.target as HTMLInputElement).value)} />
          </label>
        )}
        {choice === 'doc' && (
          <label>Identity document
            <input aria-label="Identity document" placeholder="Account/123" value={doc} onInput={(e) => setDoc((e.target as HTMLInputElement).value)} />
          </label>
        )}
        <label class="inline"><input type="checkbox" checked={typecheck} onChange={(e) => setTypecheck((e.target as HTMLInputElement).checked)} /> Typecheck</label>
        <button type="button" onClick={run} disabled={busy}>Run</button>
        {history.length > 0 && (
          <label>History
            <select aria-label="History" value="" onChange={(e) => { const v = (e.target as HTMLSelectElement).value; if (v) setText(v); }}>
              <option value="">Recall a query…</option>
              {history.map((h) => <option value={h}>{h.length > 60 ? `${h.slice(0, 60)}…` : h}</option>)}
            </select>
          </label>
        )}
      </div>
      <Editor label="Query" language="fql" value={text} onChange={setText} onRun={run} minLines={8}
        completions={names.state === 'ok' ? completionWords(names.value) : []} />
      <p class="muted">Ctrl+Enter runs the query. Ctrl+Space completes collection, index and function names.</p>
      <section role="region" aria-label="Result" class="result" aria-live="polite" data-runs={runs}>
        {busy ? <p class="muted">Running…</p> : outcome && <ResultView outcome={outcome} />}
      </section>
    </div>
  );
}

function describeRunAs(as: RunAs): string {
  switch (as.kind) {
    case 'builtin': return as.role;
    case 'role': return `role ${as.name}`;
    case 'doc': return `${as.coll}/${as.id}`;
    case 'secret': return 'the given secret';
  }
}

function ResultView(props: { outcome: Outcome }) {
  const o = props.outcome;
  if (o.kind === 'failure') return <p class="error" role="alert">{o.message}</p>;
  const r = o.reply;
  return (
    <div>
      {r.error ? (
        <div class="error-block">
          <p class="error"><strong>{r.error.code}</strong> (HTTP {r.status}): {r.error.message}</p>
          {r.status === 401 && <p class="error">The secret was rejected: it may have been deleted, revoked or expired, or it is mistyped.</p>}
          {r.error.abort !== undefined && <pre class="code">abort: {String(r.error.abort)}</pre>}
          {r.error.constraint_failures?.map((c) => <p class="error">{c.message} at {JSON.stringify(c.paths)}</p>)}
        </div>
      ) : (
        <pre class="code" data-testid="result-data">{r.data}</pre>
      )}
      {r.summary ? <pre class="code summary" data-testid="result-summary">{r.summary}</pre> : null}
      <dl class="stats">
        <dt>Ran as</dt><dd>{o.ranAs}</dd>
        {r.static_type && <><dt>Type</dt><dd>{r.static_type}</dd></>}
        {r.txn_ts !== undefined && <><dt>txn_ts</dt><dd data-testid="txn-ts">{r.txn_ts} ({new Date(r.txn_ts / 1000).toISOString()})</dd></>}
        {r.stats && <><dt>Stats</dt><dd data-testid="stats">compute {r.stats.compute_ops} · read {r.stats.read_ops} · write {r.stats.write_ops} · {r.stats.query_time_ms} ms</dd></>}
      </dl>
    </div>
  );
}
