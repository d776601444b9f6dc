// Collections of the selected database: create, edit and delete one in a form
// (./collection-form.tsx); per collection its documents in a table paged by cursor
// (Set.paginate, so page N costs the same as page 1 however many documents there are), columns
// from the data; new/edit/delete a document in an editor with FQL value syntax; and the
// collection's history and TTL, indexes (with status), constraints and computed fields.
import { useEffect, useState } from 'preact/hooks';
import { describeError, data, query } from './api';
import { type CollectionDef, formatFields, loadCollection } from './collection-def';
import { CollectionForm } from './collection-form';
import { Editor } from './editor';
import { loadNames } from './names';
import type { Session } from './session';
import { type Tagged, shortText } from './tagged';
import { ConfirmDelete, ErrorMessage, Notice, Show, useAction, useLoad } from './ui';

const PAGE_SIZE = 25;
const META = new Set(['id', 'coll', 'ts', 'ttl']);

export function CollectionsView(props: { s: Session }) {
  const admin = props.s.as();
  const [names, reload] = useLoad(() => loadNames(admin), [admin]);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (selected === null && names.state === 'ok' && names.value.collections.length) setSelected(names.value.collections[0].name);
  }, [names]);

  /** After a create, save (the collection's name now) or delete (null) in the form. */
  const done = (name: string | null, message: string) => {
    setSelected(name);
    setCreating(false);
    setNotice(message);
    reload();
  };

  return (
    <div class="split">
      <div>
        <Show loaded={names}>{(n) => (
          <ul class="list" aria-label="Collections">
            {n.collections.length === 0 && <li class="muted">No collections yet.</li>}
            {n.collections.map((c) => (
              <li><button type="button" class={c.name === selected ? 'selected' : ''} aria-current={c.name === selected}
                onClick={() => { setSelected(c.name); setCreating(false); setNotice(null); }}>{c.name}</button></li>
            ))}
          </ul>
        )}</Show>
        <div class="actions">
          <button type="button" onClick={() => { setCreating(true); setNotice(null); }}>Create collection</button>
          <button type="button" class="link" onClick={reload}>Refresh</button>
        </div>
      </div>
      <div>
        <Notice message={notice} />
        {creating
          ? <CollectionForm admin={admin} initial={null} onDone={done} onCancel={() => setCreating(false)} />
          : selected && <CollectionDetail key={`${selected}/${names.state}`} admin={admin} name={selected} onDone={done} />}
      </div>
    </div>
  );
}

interface Page { docs: Record<string, Tagged>[]; after?: string; pageNo: number }
type Editing = { kind: 'new' } | { kind: 'edit'; id: string };

function CollectionDetail(props: { admin: string; name: string; onDone: (name: string | null, message: string) => void }) {
  const { admin, name } = props;
  const [def] = useLoad(() => loadCollection(admin, name), [admin, name]);
  const [editingCollection, setEditingCollection] = useState(false);
  // cursors[i] is the cursor of page i (undefined for the first page).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [pageNo, setPageNo] = useState(0);
  const [page, reloadPage] = useLoad(() => loadPage(admin, name, cursors[pageNo], pageNo), [admin, name, pageNo, cursors[pageNo]]);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [text, setText] = useState('');
  const [summary, setSummary] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const act = useAction();

  const startNew = () => { setEditing({ kind: 'new' }); setText('{\n  \n}'); setSummary(null); act.setError(null); setNotice(null); };
  const startEdit = (id: string) => act.run(async () => {
    const r = await query<string>(admin, 'Collection(coll).byId(id)!.data', { format: 'decorated', args: { coll: name, id } });
    if (r.error) throw new Error(describeError(r));
    setEditing({ kind: 'edit', id });
    setText(r.data ?? '{}');
    setSummary(null);
    setNotice(null);
  });

  const save = () => act.run(async () => {
    setSummary(null);
    const value = text.trim();
    // The editor holds an FQL object literal; anything else is refused before it is sent.
    if (!value.startsWith('{') || !value.endsWith('}')) throw new Error('A document is an FQL object: { field: value, … }.');
    const target = editing!.kind === 'new' ? 'Collection(coll).create' : 'Collection(coll).byId(id)!.replace';
    const r = await query<string>(admin, `${target}(${value})`, {
      format: 'decorated', args: editing!.kind === 'edit' ? { coll: name, id: editing!.id } : { coll: name },
    });
    if (r.error) {
      setSummary(r.summary ?? null);
      throw new Error(describeError(r));
    }
    setNotice(editing!.kind === 'new' ? 'Document created.' : 'Document saved.');
    setEditing(null);
    reloadPage();
  });

  const remove = () => act.run(async () => {
    if (editing?.kind !== 'edit') return;
    await data(admin, 'Collection(coll).byId(id)!.delete()', { coll: name, id: editing.id });
    setConfirmDelete(false);
    setEditing(null);
    setNotice('Document deleted.');
    reloadPage();
  });

  const next = (after: string) => {
    const c = cursors.slice(0, pageNo + 1);
    c.push(after);
    setCursors(c);
    setPageNo(pageNo + 1);
  };

  return (
    <div>
      <div class="toolbar">
        <h2>{name}</h2>
        {!editingCollection && def.state === 'ok' && <button type="button" onClick={() => setEditingCollection(true)}>Edit collection</button>}
      </div>
      <Show loaded={def}>{(d) => editingCollection
        ? <CollectionForm admin={admin} initial={d} onDone={props.onDone} onCancel={() => setEditingCollection(false)} />
        : <Definition def={d} />}</Show>
      <div class="toolbar">
        <button type="button" onClick={startNew}>New document</button>
        <Notice message={notice} />
      </div>
      {editing && (
        <div class="card" aria-label={editing.kind === 'new' ? 'New document' : `Document ${editing.id}`} role="group">
          <h3>{editing.kind === 'new' ? 'New document' : `Document ${editing.id}`}</h3>
          <Editor label="Document" language="fql" value={text} onChange={setText} onRun={save} minLines={6} />
          <div class="toolbar">
            <button type="button" onClick={save} disabled={act.busy}>Save</button>
            {editing.kind === 'edit' && <button type="button" class="danger" onClick={() => setConfirmDelete(true)}>Delete</button>}
            <button type="button" class="link" onClick={() => setEditing(null)}>Cancel</button>
          </div>
          {confirmDelete && editing.kind === 'edit' && (
            <ConfirmDelete removal={{ kind: 'document', name: editing.id, run: remove }} busy={act.busy} onCancel={() => setConfirmDelete(false)} />
          )}
          <ErrorMessage message={act.error} />
          {summary && <pre class="code summary">{summary}</pre>}
        </div>
      )}
      {!editing && <ErrorMessage message={act.error} />}
      <Show loaded={page}>{(p) => <DocumentsTable page={p} onEdit={startEdit} />}</Show>
      <div class="toolbar">
        <button type="button" disabled={pageNo === 0} onClick={() => setPageNo(pageNo - 1)}>Previous page</button>
        {/* The number of the page on screen (it changes once the next page has arrived). */}
        <span class="muted">Page {page.state === 'ok' ? page.value.pageNo + 1 : pageNo + 1}</span>
        <button type="button" disabled={page.state !== 'ok' || !page.value.after}
          onClick={() => page.state === 'ok' && page.value.after && next(page.value.after)}>Next page</button>
      </div>
    </div>
  );
}

async function loadPage(admin: string, coll: string, after: string | undefined, pageNo: number): Promise<Page> {
  const r = after === undefined
    ? await query<Tagged>(admin, `Collection(coll).all().pageSize(${PAGE_SIZE})`, { format: 'tagged', args: { coll } })
    : await query<Tagged>(admin, 'Set.paginate(after)', { format: 'tagged', args: { after } });
  if (r.error) throw new Error(describeError(r));
  // A set answers `{"@set": page}`; Set.paginate answers the page object itself.
  const d = r.data as { '@set'?: { data: Tagged[]; after?: string }; data?: Tagged[]; after?: string };
  const set = d['@set'] ?? { data: d.data ?? [], after: d.after };
  const docs = set.data.map((d) => ((d as Record<string, Tagged>)['@doc'] ?? d) as Record<string, Tagged>);
  return { docs, after: set.after, pageNo };
}

function DocumentsTable(props: { page: Page; onEdit: (id: string) => void }) {
  const { docs } = props.page;
  if (docs.length === 0) return <p class="muted">No documents.</p>;
  const columns: string[] = [];
  for (const d of docs) for (const k of Object.keys(d)) if (!META.has(k) && !columns.includes(k) && columns.length < 8) columns.push(k);
  return (
    <table aria-label="Documents">
      <thead><tr><th>id</th>{columns.map((c) => <th>{c}</th>)}<th>ts</th></tr></thead>
      <tbody>
        {docs.map((d) => (
          <tr key={String(d.id)}>
            <td><button type="button" class="link" title="Edit this document" onClick={() => props.onEdit(String(d.id))}>{String(d.id)}</button></td>
            {columns.map((c) => <td>{d[c] === undefined ? '' : shortText(d[c])}</td>)}
            <td>{shortText(d.ts)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The collection's definition as it stands (the form edits it). */
function Definition(props: { def: CollectionDef }) {
  const d = props.def;
  return (
    <details class="card" open aria-label="Definition">
      <summary>History, indexes, constraints and computed fields</summary>
      <p data-testid="retention">history_days {d.history_days ?? 'default'} · ttl_days {d.ttl_days ?? 'none'}</p>
      <table aria-label="Indexes">
        <thead><tr><th>Index</th><th>Terms</th><th>Values</th><th>Status</th></tr></thead>
        <tbody>
          {Object.entries(d.indexes ?? {}).map(([n, i]) => (
            <tr><td>{n}</td><td>{formatFields(i.terms)}</td><td>{formatFields(i.values)}</td><td>{i.status ?? ''}{i.queryable === false ? ' (not queryable)' : ''}</td></tr>
          ))}
          {Object.keys(d.indexes ?? {}).length === 0 && <tr><td colSpan={4} class="muted">No indexes.</td></tr>}
        </tbody>
      </table>
      <ul aria-label="Constraints">
        {(d.constraints ?? []).map((c) => 'check' in c && c.check
          ? <li>check {c.check.name}: <code>{c.check.body}</code></li>
          : <li>unique [{formatFields((c as { unique?: (string | { field: string })[] }).unique)}] {(c as { status?: string }).status ?? ''}</li>)}
        {(d.constraints ?? []).length === 0 && <li class="muted">No constraints.</li>}
      </ul>
      <ul aria-label="Computed fields">
        {Object.entries(d.computed_fields ?? {}).map(([n, f]) => <li>{n}{f.signature ? `: ${f.signature}` : ''} = <code>{f.body}</code></li>)}
        {Object.keys(d.computed_fields ?? {}).length === 0 && <li class="muted">No computed fields.</li>}
      </ul>
    </details>
  );
}
