/** The organisations in the admin's scope as a labelled select, by name (the code on hover). Usable from server and client components. */
import { messages as m } from "@/lib/i18n";

export function OrgSelect({ orgs, name, value, label = true }: { orgs: { id: string; name: string }[]; name: string; value?: string; label?: boolean }) {
  const select = (
    <select name={name} defaultValue={value}>
      {orgs.map((o) => (
        <option key={o.id} value={o.id} title={o.id}>
          {o.name}
        </option>
      ))}
    </select>
  );
  return label ? (
    <label>
      {m["col.organization"]}
      {select}
    </label>
  ) : (
    select
  );
}
