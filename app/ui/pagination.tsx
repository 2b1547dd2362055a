import { Link } from "@remix-run/react";

/** Previous / next links that keep the other query parameters; works without JavaScript. */
export function Pagination({
  page,
  pageSize,
  total,
  params = {},
}: {
  page: number;
  pageSize: number;
  total: number;
  params?: Record<string, string>;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const href = (p: number) => {
    const search = new URLSearchParams({ ...Object.fromEntries(Object.entries(params).filter(([, v]) => v)), page: String(p) });
    return `?${search.toString()}`;
  };
  return (
    <nav aria-label="Pages" className="pagination">
      {page > 1 ? <Link to={href(page - 1)} rel="prev">← Previous</Link> : <span />}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? <Link to={href(page + 1)} rel="next">Next →</Link> : <span />}
    </nav>
  );
}
