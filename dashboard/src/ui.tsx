// Small shared pieces: loading a value with its error, messages, and the pieces every
// create/edit form is made of (labelled fields, Create/Save/Delete/Cancel, a confirmation that
// names what a delete removes, a copy button).
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';

export type Loaded<T> = { state: 'loading' } | { state: 'ok'; value: T } | { state: 'error'; message: string };

/** Loads `fn()` whenever `deps` change; `reload` runs it again. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): [Loaded<T>, () => void] {
  const [value, setValue] = useState<Loaded<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    fn().then((v) => { if (live) setValue({ state: 'ok', value: v }); },
      (e: unknown) => { if (live) setValue({ state: 'error', message: errorText(e) }); });
    return () => { live = false; };
  }, [...deps, tick]);
  return [value, useCallback(() => setTick((t) => t + 1), [])];
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function ErrorMessage(props: { message: string | null | undefined }) {
  if (!props.message) return null;
  return <p class="error" role="alert">{props.message}</p>;
}

export function Notice(props: { message: string | null | undefined }) {
  if (!props.message) return null;
  return <p class="notice" role="status">{props.message}</p>;
}

export function Show<T>(props: { loaded: Loaded<T>; children: (value: T) => ComponentChildren }) {
  const l = props.loaded;
  if (l.state === 'loading') return <p class="muted">Loading…</p>;
  if (l.state === 'error') return <ErrorMessage message={l.message} />;
  return <>{props.children(l.value)}</>;
}

const CHANGED = 'fql-dashboard-changed';

/** Tells every view that data changed (a create, save or delete succeeded). */
export function notifyChanged(): void {
  dispatchEvent(new Event(CHANGED));
}

/** A counter that moves whenever notifyChanged() is called, for use in load dependencies. */
export function useChanges(): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const on = () => setN((x) => x + 1);
    addEventListener(CHANGED, on);
    return () => removeEventListener(CHANGED, on);
  }, []);
  return n;
}

/** Runs an async action, tracking busy state and its error message; success notifies changes. */
export function useAction(): { busy: boolean; error: string | null; setError: (m: string | null) => void; run: (fn: () => Promise<void>) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      notifyChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

/** An identifier the way FQL names collections, functions and roles. */
export const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Refuses a name that is not an identifier before it is sent (`what`: "A role name"). */
export function requireIdentifier(what: string, name: string): void {
  if (!IDENT.test(name)) throw new Error(`${what} starts with a letter or _ and holds letters, digits and _ only.`);
}

/** A labelled input whose accessible name is its label. */
export function TextField(props: {
  label: string; value: string; onInput: (value: string) => void; placeholder?: string; numeric?: boolean; class?: string;
}) {
  return (
    <label>{props.label} <input aria-label={props.label} inputMode={props.numeric ? 'numeric' : undefined}
      class={props.class} value={props.value} placeholder={props.placeholder}
      onInput={(e) => props.onInput((e.target as HTMLInputElement).value)} /></label>
  );
}

/** What a Delete button removes, for its confirmation: "Delete collection Note and all its documents?" */
export interface Removal {
  readonly kind: string;
  readonly name: string;
  readonly consequence?: string;
  readonly run: () => void;
}

/** A confirmation naming what is about to be deleted; region "Delete <kind>". */
export function ConfirmDelete(props: { removal: Removal; busy: boolean; onCancel: () => void }) {
  const { kind, name, consequence, run } = props.removal;
  return (
    <div class="card" role="alertdialog" aria-label={`Delete ${kind}`}>
      <p>Delete {kind} <strong>{name}</strong>{consequence ? ` ${consequence}` : ''}?</p>
      <button type="button" class="danger" disabled={props.busy} onClick={run}>Delete</button>
      <button type="button" class="link" onClick={props.onCancel}>Cancel</button>
    </div>
  );
}

/**
 * The foot of a create/edit form: Create (new) or Save, Delete (editing, asks first) and
 * Cancel. Delete is only offered when `removal` is given.
 */
export function FormButtons(props: { isNew: boolean; busy: boolean; onCancel: () => void; removal?: Removal }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <div class="toolbar">
        <button type="submit" disabled={props.busy}>{props.isNew ? 'Create' : 'Save'}</button>
        {props.removal && <button type="button" class="danger" onClick={() => setConfirming(true)}>Delete</button>}
        <button type="button" class="link" onClick={props.onCancel}>Cancel</button>
      </div>
      {confirming && props.removal && <ConfirmDelete removal={props.removal} busy={props.busy} onCancel={() => setConfirming(false)} />}
    </>
  );
}

/** Copies `text` to the clipboard; the button says "Copied" once it has. */
export function CopyButton(props: { text: string }) {
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setCopied(false), [props.text]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setCopied(true);
      setError(null);
    } catch {
      setError('The browser refused the clipboard; select the text and copy it by hand.');
    }
  };
  return (
    <>
      <button type="button" onClick={copy}>{copied ? 'Copied' : 'Copy'}</button>
      <ErrorMessage message={error} />
    </>
  );
}
