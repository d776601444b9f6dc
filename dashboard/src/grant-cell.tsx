// A grant that may be conditional: the Roles matrix (privileges, membership) and the roles an
// access provider gives a token are each "granted outright, or when this predicate holds".
// One checkbox per grant, and a predicate field once it is ticked.

/** true = granted; a string = granted when the predicate (FQL function text) holds. */
export type Grant = true | string;

/** A checkbox named "<resource> <action>", and once ticked a field "<resource> <action> predicate". */
export function GrantCell(props: { resource: string; action: string; grant: Grant | undefined; onChange: (g: Grant | null) => void }) {
  const { resource, action, grant } = props;
  return (
    <span class="cell">
      <input type="checkbox" aria-label={`${resource} ${action}`} checked={grant !== undefined}
        onChange={(e) => props.onChange((e.target as HTMLInputElement).checked ? true : null)} />
      {grant !== undefined && (
        <input class="predicate" aria-label={`${resource} ${action} predicate`} placeholder="predicate" value={grant === true ? '' : grant}
          onInput={(e) => { const v = (e.target as HTMLInputElement).value; props.onChange(v.trim() ? v : true); }} />
      )}
    </span>
  );
}

/** `grants` with `key` set to `g`, or removed when `g` is null. */
export function withGrant(grants: Record<string, Grant>, key: string, g: Grant | null): Record<string, Grant> {
  const next = { ...grants };
  if (g === null) delete next[key]; else next[key] = g;
  return next;
}
