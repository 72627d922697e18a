export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="auth-shell" id="main">
      <div className="auth-card card">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Partnership Atlas
        </div>
        {children}
      </div>
    </main>
  );
}
