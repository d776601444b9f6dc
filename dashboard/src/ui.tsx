// Small shared pieces: loading a value with its error, messages, and the create-form pattern
// (a button that opens a form confirmed with "Create").
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
