/** The fields every history view shows of a revision row (deal or record), timestamps as ISO text. */
export function revisionView<A extends string>(r: {
  version: number;
  action: A;
  actor: string;
  at: Date;
  changedFields: string[];
  before: unknown;
  after: unknown;
}) {
  return {
    version: r.version,
    action: r.action,
    actor: r.actor,
    at: r.at.toISOString(),
    changedFields: r.changedFields,
    before: r.before,
    after: r.after,
  };
}
