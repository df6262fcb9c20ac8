/**
 * A state change that needs a second look: the button opens the form, whose
 * confirmation box must be ticked (required here, and checked again by the
 * server action through the posted `confirm=yes`).
 */
export function ConfirmForm(props: {
  action: (form: FormData) => Promise<void>;
  label: string;
  confirmText: string;
  fields: Record<string, string>;
  testId?: string;
}) {
  return (
    <details className="confirm" data-testid={props.testId}>
      <summary className="button">{props.label}</summary>
      <form action={props.action} className="stack" aria-label={props.label}>
        {Object.entries(props.fields).map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        <label className="check">
          <input type="checkbox" name="confirm" value="yes" required />
          {props.confirmText}
        </label>
        <button type="submit">{props.label}</button>
      </form>
    </details>
  );
}
