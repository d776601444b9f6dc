import type { Session } from './session';

export function RolesView(_props: { s: Session }) {
  return <p class="muted">Coming soon.</p>;
}
