// Which database engine this process runs on, chosen in one place: `DATABASE_URL=postgres://…`
// (or postgresql://…) selects PostgreSQL; otherwise SQLite in the file at DATABASE_PATH.

export type Engine = "sqlite" | "pg";

export function engineOf(url: string | undefined): Engine {
  return url && /^postgres(ql)?:\/\//i.test(url) ? "pg" : "sqlite";
}

export const ENGINE: Engine = engineOf(process.env.DATABASE_URL);
