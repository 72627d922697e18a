export function FilterErrors({ errors }: { errors: Record<string, string[]> }) {
  const keys = Object.keys(errors);
  if (!keys.length) return null;
  return (
    <div className="alert warn" role="alert">
      Some filters in the address were not understood and were left out:
      <ul>
        {keys.map((key) => (
          <li key={key}>
            <strong>{key}</strong>: {errors[key]!.join("; ")}
          </li>
        ))}
      </ul>
    </div>
  );
}
