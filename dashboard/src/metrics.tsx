import type { Session } from './session';

export function MetricsView(_props: { s: Session }) {
  return <p class="muted">Coming soon.</p>;
}
