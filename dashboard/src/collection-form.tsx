// The form that creates or edits a collection: name, history_days, ttl_days and indexes (terms
// and values). Unique and check constraints and computed fields are kept as they are: they are
// edited in the Schema tab (FSL), where their bodies get the FQL editor they need. Editing
// sends only what changed, through `update`, so an index left alone is not rebuilt and
// whatever the form does not show survives.
import { useState } from 'preact/hooks';
import { data } from './api';
import { type CollectionDef, type IndexDef, formatFields, parseFields } from './collection-def';
import { ErrorMessage, FormButtons, TextField, requireIdentifier, useAction } from './ui';

interface IndexRow { name: string; terms: string; values: string }

/** `history_days`/`ttl_days` as typed: empty = unset (null), else a whole number of days. */
function days(field: string, text: string): number | null {
  if (!text.trim()) return null;
  if (!/^\d+$/.test(text.trim())) throw new Error(`${field} is a whole number of days (or empty).`);
  return Number(text.trim());
}

function rowsOf(def: CollectionDef | null): IndexRow[] {
  return Object.entries(def?.indexes ?? {}).map(([name, i]) => ({ name, terms: formatFields(i.terms), values: formatFields(i.values) }));
}

/**
 * The indexes to send: for a new collection all of them; when editing, the added and changed
 * ones (compared as text, so the server's own spelling of a field is not a change) and null for
 * each removed one, which is how `update` deletes an index.
 */
function indexChanges(rows: IndexRow[], before: Record<string, IndexDef>): Record<string, IndexDef | null> {
  const changes: Record<string, IndexDef | null> = {};
  const named = new Set<string>();
  for (const r of rows) {
    requireIdentifier('An index name', r.name);
    if (named.has(r.name)) throw new Error(`Two indexes are named ${r.name}.`);
    named.add(r.name);
    const terms = parseFields(r.terms, 'terms');
    const values = parseFields(r.values, 'values');
    const old = before[r.name];
    if (old && formatFields(old.terms) === formatFields(terms) && formatFields(old.values) === formatFields(values)) continue;
    // On a changed index null removes the terms or values it had; a new one just leaves them out.
    changes[r.name] = old
      ? { terms: terms.length ? terms : null, values: values.length ? values : null }
      : { ...(terms.length ? { terms } : {}), ...(values.length ? { values } : {}) };
  }
  for (const n of Object.keys(before)) if (!named.has(n)) changes[n] = null;
  return changes;
}

export function CollectionForm(props: {
  admin: string;
  /** The collection being edited, or null for a new one. */
  initial: CollectionDef | null;
  /** After a create or save (with the name it now has) or a delete (null). */
  onDone: (name: string | null, message: string) => void;
  onCancel: () => void;
}) {
  const { admin, initial } = props;
  const [name, setName] = useState(initial?.name ?? '');
  const [history, setHistory] = useState(initial?.history_days == null ? '' : String(initial.history_days));
  const [ttl, setTtl] = useState(initial?.ttl_days == null ? '' : String(initial.ttl_days));
  const [rows, setRows] = useState<IndexRow[]>(rowsOf(initial));
  const act = useAction();

  const setRow = (i: number, change: Partial<IndexRow>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...change } : r)));

  const save = () => act.run(async () => {
    requireIdentifier('A collection name', name);
    const history_days = days('history_days', history);
    const ttl_days = days('ttl_days', ttl);
    const indexes = indexChanges(rows, initial?.indexes ?? {});
    const def: Record<string, unknown> = { name };
    if (initial === null) {
      // Unset fields are left out, so the server's defaults apply.
      if (history_days !== null) def.history_days = history_days;
      if (ttl_days !== null) def.ttl_days = ttl_days;
      if (Object.keys(indexes).length) def.indexes = indexes;
      await data(admin, 'Collection.create(def)', { def });
      props.onDone(name, `Collection ${name} created.`);
    } else {
      Object.assign(def, { history_days, ttl_days });
      if (Object.keys(indexes).length) def.indexes = indexes;
      await data(admin, 'Collection.byName(original)!.update(def)', { original: initial.name, def });
      props.onDone(name, `Collection ${name} saved.`);
    }
  });

  const remove = () => act.run(async () => {
    await data(admin, 'Collection.byName(n)!.delete()', { n: initial!.name });
    props.onDone(null, `Collection ${initial!.name} deleted.`);
  });

  return (
    <form class="card" aria-label={initial === null ? 'New collection' : `Collection ${initial.name}`} onSubmit={(e) => { e.preventDefault(); save(); }}>
      <div class="form-grid">
        <TextField label="Name" value={name} onInput={setName} />
        <TextField label="History days" numeric value={history} onInput={setHistory} placeholder="server default" />
        <TextField label="TTL days" numeric value={ttl} onInput={setTtl} placeholder="none" />
      </div>
      <h3>Indexes</h3>
      <p class="muted">Fields separated by commas, e.g. terms <code>.category</code>, values <code>.price desc, .name</code>; <code>mva(.tags)</code> indexes each element of an array. Constraints and computed fields are edited in the Schema tab.</p>
      <table aria-label="Index definitions">
        <thead><tr><th>Name</th><th>Terms</th><th>Values</th><th /></tr></thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td><input aria-label={`Index ${i + 1} name`} value={r.name} onInput={(e) => setRow(i, { name: (e.target as HTMLInputElement).value })} /></td>
              <td><input aria-label={`Index ${i + 1} terms`} class="wide" value={r.terms} onInput={(e) => setRow(i, { terms: (e.target as HTMLInputElement).value })} /></td>
              <td><input aria-label={`Index ${i + 1} values`} class="wide" value={r.values} onInput={(e) => setRow(i, { values: (e.target as HTMLInputElement).value })} /></td>
              <td><button type="button" class="link" aria-label={`Remove index ${i + 1}`} onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>Remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="actions"><button type="button" onClick={() => setRows((rs) => [...rs, { name: '', terms: '', values: '' }])}>Add index</button></div>
      <FormButtons isNew={initial === null} busy={act.busy} onCancel={props.onCancel}
        removal={initial === null ? undefined : { kind: 'collection', name: initial.name, consequence: 'and all its documents', run: remove }} />
      <ErrorMessage message={act.error} />
    </form>
  );
}
