/** The ?ok= / ?error= message a form's redirect brings back. */
export function Flash({ ok, error }: { ok?: string; error?: string }) {
  return (
    <>
      {ok && (
        <p role="status" className="ok">
          {ok}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </>
  );
}
