import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDealDetail } from "@/db/deals/deals";
import { BindingBadge, ConfidentialBadge, StatusBadge, TypeBadges } from "@/components/deals/deal-badges";
import { RevisionList } from "@/components/deals/revision-list";
import { formatDealDate } from "@/lib/dates";
import { BINDING_LABELS, PRECISION_LABELS, ROLE_LABELS, STATUS_LABELS, TYPE_LABELS } from "@/lib/enums";
import { formatMoney, toMinorUnits } from "@/lib/money";
import { deleteDealAction, restoreDealAction, restoreVersionAction } from "../actions";
import { requirePrincipal } from "@/server/auth/page";
import { canSeeDeletedDeals, hasRole } from "@/lib/roles";
import type { Principal } from "@/server/auth/principal";
import { DealQuote } from "@/components/deals/deal-quote";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/** The deal, or undefined when there is none — or it is deleted and the reader may not see that. */
async function load(raw: string, { role, viewer }: Principal) {
  const deal = /^\d{1,15}$/.test(raw) ? await getDealDetail(Number(raw), viewer) : undefined;
  return deal && (!deal.deletedAt || canSeeDeletedDeals(role)) ? deal : undefined;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const deal = await load((await params).id, await requirePrincipal());
  return { title: deal?.title ?? "Deal not found" };
}

export default async function DealPage({ params, searchParams }: Props) {
  const principal = await requirePrincipal();
  const { role } = principal;
  const canEdit = hasRole(role, "editor");
  const deal = await load((await params).id, principal);
  if (!deal) notFound();
  const flags = await searchParams;
  const value = deal.value
    ? formatMoney(toMinorUnits(deal.value.amount, deal.value.currency)!, deal.value.currency)
    : null;

  return (
    <>
      <div className="crumbs">
        <Link href="/deals">Deals</Link> / #{deal.id}
      </div>
      {flags.saved && !deal.deletedAt && (
        <div className="alert success" role="status">
          Deal saved (version {deal.version}).
        </div>
      )}
      {flags.conflict && (
        <div className="alert error" role="alert">
          Not restored: the deal changed while you were looking at it. Check its latest version below.
        </div>
      )}
      {flags.unrestorable && (
        <div className="alert error" role="alert">
          That version cannot be restored as it is (it no longer passes validation). Edit the deal instead.
        </div>
      )}
      {flags.restored && !deal.deletedAt && (
        <div className="alert success" role="status">
          Deal restored. It is back in the lists.
        </div>
      )}
      {deal.deletedAt && (
        <div className="alert warn" role="status">
          <form action={restoreDealAction} className="actions" style={{ justifyContent: "space-between" }}>
            <span>This deal was deleted. It no longer appears in lists, but nothing was lost.</span>
            <input type="hidden" name="id" value={deal.id} />
            {canEdit && (
              <button type="submit" className="button">
                Restore deal
              </button>
            )}
          </form>
        </div>
      )}
      <div className="page-head">
        <div>
          <h1>{deal.title}</h1>
          <div className="actions">
            <time dateTime={deal.announcedOn} className="muted">
              {formatDealDate(deal.announcedOn, deal.datePrecision)}
            </time>
            <TypeBadges types={deal.types} />
            <BindingBadge binding={deal.binding} />
            <StatusBadge status={deal.status} />
            <ConfidentialBadge visibility={deal.visibility} />
            {deal.demo && <span className="badge demo">Generated demo record</span>}
          </div>
        </div>
        {!deal.deletedAt && canEdit && (
          <div className="actions">
            <Link className="button" href={`/deals/${deal.id}/edit`}>
              Edit deal
            </Link>
            <form action={deleteDealAction}>
              <input type="hidden" name="id" value={deal.id} />
              <button type="submit" className="button danger">
                Delete deal
              </button>
            </form>
          </div>
        )}
      </div>

      <div className="detail-grid">
        <div>
          <section className="card" aria-labelledby="summary-h">
            <h2 id="summary-h">Summary</h2>
            {deal.summary ? <p>{deal.summary}</p> : <p className="muted">No summary yet.</p>}
          </section>

          <section className="card" aria-labelledby="quotes-h">
            <h2 id="quotes-h">Quotes</h2>
            {deal.quotes.length === 0 && <p className="muted">No quotes recorded.</p>}
            {deal.quotes.map((q, i) => (
              <DealQuote key={i} quote={q} />
            ))}
          </section>

          <section className="card" aria-labelledby="sources-h">
            <h2 id="sources-h">Sources</h2>
            <ul className="plain">
              {deal.sources.map((s, i) => (
                <li key={i}>
                  {s.url ? (
                    <a href={s.url} target="_blank" rel="noopener noreferrer nofollow">
                      {s.title ?? s.url}
                    </a>
                  ) : (
                    // Pasted text without a link: named by its title and publisher only.
                    <span>{s.title ?? s.publisher}</span>
                  )}
                  <div className="small muted">
                    {[s.publisher, s.publishedOn && formatDealDate(s.publishedOn)]
                      .filter(Boolean)
                      .join(" · ") ||
                      (s.url && new URL(s.url).hostname)}
                  </div>
                </li>
              ))}
            </ul>
          </section>

          <section className="card" aria-labelledby="history-h">
            <h2 id="history-h">Revision history</h2>
            <RevisionList
              revisions={deal.revisions}
              dealId={deal.id}
              currentVersion={deal.version}
              restoreVersion={canEdit && !deal.deletedAt ? restoreVersionAction : undefined}
            />
          </section>
        </div>

        <aside>
          <section className="card" aria-labelledby="facts-h">
            <h2 id="facts-h">Facts</h2>
            <dl className="facts">
              <dt>Announced</dt>
              <dd>
                {formatDealDate(deal.announcedOn, deal.datePrecision)}{" "}
                <span className="muted small">
                  ({PRECISION_LABELS[deal.datePrecision].toLowerCase()} precision)
                </span>
              </dd>
              <dt>Deal types</dt>
              <dd>{deal.types.map((t) => TYPE_LABELS[t]).join(", ")}</dd>
              <dt>Binding</dt>
              <dd>{BINDING_LABELS[deal.binding]}</dd>
              <dt>Status</dt>
              <dd>{STATUS_LABELS[deal.status]}</dd>
              <dt>Value</dt>
              <dd>
                {value ? (
                  <span title={`${deal.value!.amount} ${deal.value!.currency}`}>{value}</span>
                ) : (
                  <span className="muted">Not disclosed</span>
                )}
              </dd>
              <dt>Version</dt>
              <dd>{deal.version}</dd>
            </dl>
          </section>

          <section className="card" aria-labelledby="parties-h">
            <h2 id="parties-h">Parties</h2>
            <ul className="plain">
              {deal.parties.map((p) => (
                <li key={p.company.id} className="actions" style={{ justifyContent: "space-between" }}>
                  <Link href={`/companies/${p.company.slug}`}>{p.company.name}</Link>
                  <span className="badge">{ROLE_LABELS[p.role]}</span>
                </li>
              ))}
            </ul>
          </section>

          <section className="card" aria-labelledby="tech-h">
            <h2 id="tech-h">Technology areas</h2>
            {deal.technologies.length ? (
              <div className="chips">
                {deal.technologies.map((t) => (
                  <Link key={t.id} className="chip" href={`/deals?technology=${encodeURIComponent(t.slug)}`}>
                    {t.name}
                  </Link>
                ))}
              </div>
            ) : (
              <p className="muted">None recorded.</p>
            )}
          </section>

          <section className="card" aria-labelledby="status-h">
            <h2 id="status-h">Status history</h2>
            <ol className="timeline">
              {deal.statusHistory.map((s, i) => (
                <li key={i}>
                  <strong>{STATUS_LABELS[s.status]}</strong>{" "}
                  <span className="muted small">
                    {s.effectiveOn ? formatDealDate(s.effectiveOn) : "date not reported"}
                  </span>
                </li>
              ))}
            </ol>
          </section>

          <section className="card" aria-labelledby="related-h">
            <h2 id="related-h">Related deals</h2>
            {!deal.expands && !deal.expandedBy.length && !deal.samePartners.length && (
              <p className="muted">None.</p>
            )}
            <ul className="plain">
              {deal.expands && (
                <li>
                  <span className="small muted">Expands</span>
                  <br />
                  <Link href={`/deals/${deal.expands.id}`}>{deal.expands.title}</Link>{" "}
                  <span className="small muted">
                    {formatDealDate(deal.expands.announcedOn, deal.expands.datePrecision)}
                  </span>
                </li>
              )}
              {deal.expandedBy.map((d) => (
                <li key={`x${d.id}`}>
                  <span className="small muted">Expanded by</span>
                  <br />
                  <Link href={`/deals/${d.id}`}>{d.title}</Link>{" "}
                  <span className="small muted">{formatDealDate(d.announcedOn, d.datePrecision)}</span>
                </li>
              ))}
              {deal.samePartners
                .filter((d) => d.id !== deal.expands?.id && !deal.expandedBy.some((x) => x.id === d.id))
                .map((d) => (
                  <li key={`p${d.id}`}>
                    <span className="small muted">Same partners</span>
                    <br />
                    <Link href={`/deals/${d.id}`}>{d.title}</Link>{" "}
                    <span className="small muted">{formatDealDate(d.announcedOn, d.datePrecision)}</span>
                  </li>
                ))}
            </ul>
          </section>
        </aside>
      </div>
    </>
  );
}
