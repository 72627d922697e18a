export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite">
      <span className="visually-hidden">Loading…</span>
      <div className="skeleton" style={{ height: 32, width: 240, marginBottom: 16 }} />
      <div className="skeleton" style={{ height: 90, marginBottom: 16 }} />
      <div className="skeleton" style={{ height: 320 }} />
    </div>
  );
}
