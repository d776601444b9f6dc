import type { Session } from './session';

export function CollectionsView(_props: { s: Session }) {
  return <p class="muted">Coming soon.</p>;
}
