import type { Metadata } from "next";
import { listUsers } from "@/db/accounts/auth";
import { NewUserForm } from "@/components/settings/new-user-form";
import { AccessDenied } from "@/components/ui/access-denied";
import { requirePrincipal } from "@/server/auth/page";
import { hasRole, ROLE_DESCRIPTIONS } from "@/lib/roles";
import { formatTimestamp } from "@/lib/dates";
import { USER_ROLE_LABELS, USER_ROLES } from "@/lib/enums";
import { createUserAction, setActiveAction, setRoleAction } from "../actions";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const me = await requirePrincipal();
  if (!hasRole(me.role, "admin")) return <AccessDenied need="admin" />;
  const users = await listUsers();
  const { refused } = await searchParams;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Users</h1>
          <p>{USER_ROLES.map((r) => `${USER_ROLE_LABELS[r]}s ${ROLE_DESCRIPTIONS[r]}`).join("; ")}.</p>
        </div>
      </div>
      {typeof refused === "string" && (
        <div className="alert error" role="alert">
          Not changed: {refused.slice(0, 300)}
        </div>
      )}
      <div className="table-wrap" role="region" aria-label="Users table" tabIndex={0}>
        <table>
          <caption className="visually-hidden">Users</caption>
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Status</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td className="title-cell">
                  {u.name}
                  {u.id === me.id && (
                    <span className="badge" style={{ marginLeft: 6 }}>
                      you
                    </span>
                  )}
                </td>
                <td>{u.email}</td>
                <td>
                  <form action={setRoleAction} className="actions">
                    <input type="hidden" name="userId" value={u.id} />
                    <label className="visually-hidden" htmlFor={`role-${u.id}`}>
                      Role for {u.name}
                    </label>
                    <select id={`role-${u.id}`} name="role" defaultValue={u.role} style={{ width: "auto" }}>
                      {USER_ROLES.map((r) => (
                        <option key={r} value={r}>
                          {USER_ROLE_LABELS[r]}
                        </option>
                      ))}
                    </select>
                    <button type="submit" className="button small" aria-label={`Change role of ${u.name}`}>
                      Change role
                    </button>
                  </form>
                </td>
                <td>
                  {u.deactivatedAt ? (
                    <span className="badge status-terminated">
                      Deactivated {formatTimestamp(u.deactivatedAt.toISOString())}
                    </span>
                  ) : (
                    <span className="badge status-active">Active</span>
                  )}
                </td>
                <td>
                  {u.id !== me.id && (
                    <form action={setActiveAction}>
                      <input type="hidden" name="userId" value={u.id} />
                      <input type="hidden" name="active" value={u.deactivatedAt ? "true" : "false"} />
                      <button type="submit" className={`button small${u.deactivatedAt ? "" : " danger"}`}>
                        {u.deactivatedAt ? `Reactivate ${u.name}` : `Deactivate ${u.name}`}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="card section-gap" aria-labelledby="add-user-h">
        <h2 id="add-user-h">Add a user</h2>
        <NewUserForm createUser={createUserAction} />
      </section>
    </>
  );
}
