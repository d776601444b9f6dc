import type { Session } from './session';

export function FunctionsView(_props: { s: Session }) {
  return <p class="muted">Coming soon.</p>;
}
