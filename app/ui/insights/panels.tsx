import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";

export interface FigureView {
  key: string;
  label: string;
  value: number | null;
  previous: number | null;
  unit: "count" | "percent" | "hours" | "ratio";
  better: "up" | "down";
  now?: boolean;
}

export interface QueryView {
  range: string;
  from?: string | undefined;
  to?: string | undefined;
  topic?: string | undefined;
}

export function listHref(list: string, q: QueryView): string {
  const params = new URLSearchParams({ range: q.range });
  if (q.range === "custom" && q.from && q.to) {
    params.set("from", q.from);
    params.set("to", q.to);
  }
  if (q.topic) params.set("topic", q.topic);
  return `/insights/${list}?${params.toString()}`;
}

export const csvHref = (list: string, q: QueryView): string => listHref(list, q).replace("/insights/", "/insights/export/");

export function formatFigure(value: number | null, unit: FigureView["unit"]): string {
  if (value === null) return "—";
  if (unit === "percent") return `${value}%`;
  if (unit === "hours") return value >= 48 ? `${Math.round((value / 24) * 10) / 10} d` : `${value} h`;
  return String(value);
}

/** "▲ 12% vs previous period", good or bad by which way the measure should move. */
function change(f: FigureView): { text: string; tone: "good" | "bad" | "flat" } | null {
  if (f.value === null || f.previous === null) return null;
  const delta = Math.round((f.value - f.previous) * 10) / 10;
  if (delta === 0) return { text: "no change", tone: "flat" };
  const up = delta > 0;
  const size = f.unit === "percent" ? `${Math.abs(delta)} points` : f.previous === 0 ? `${formatFigure(Math.abs(delta), f.unit)} (was 0)` : `${Math.round((Math.abs(delta) / Math.abs(f.previous)) * 100)}%`;
  return { text: `${up ? "up" : "down"} ${size}`, tone: up === (f.better === "up") ? "good" : "bad" };
}

export function FigureCard({ figure, previousLabel, href }: { figure: FigureView; previousLabel: string; href?: string | undefined }) {
  const c = change(figure);
  return (
    <div className="figure">
      <span className="figure-label">{figure.label}</span>
      <strong className="figure-value">{formatFigure(figure.value, figure.unit)}</strong>
      {c ? (
        <span className={`figure-change ${c.tone}`}>
          <span aria-hidden="true">{c.tone === "flat" ? "＝" : c.text.startsWith("up") ? "▲" : "▼"} </span>
          {c.text} <span className="muted">vs {previousLabel} ({formatFigure(figure.previous, figure.unit)})</span>
        </span>
      ) : figure.now ? (
        <span className="figure-change muted">as of now</span>
      ) : (
        <span className="figure-change muted">nothing to compare in {previousLabel}</span>
      )}
      {href ? (
        <Link to={href} className="figure-drill">
          See the list<span className="visually-hidden">: {figure.label}</span>
        </Link>
      ) : null}
    </div>
  );
}

export function SimpleTable({ caption, head, rows, empty, csv, more }: { caption: string; head: string[]; rows: ReactNode[][]; empty: string; csv?: string; more?: { href: string; label: string } }) {
  return (
    <div className="insights-table">
      {rows.length === 0 ? (
        <p className="muted">
          <strong>{caption}:</strong> {empty}
        </p>
      ) : (
        <table className="data-table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              {head.map((h, i) => (
                <th scope="col" key={i}>
                  {h || <span className="visually-hidden">Action</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                {r.map((cell, j) => (j === 0 ? <th scope="row" key={j}>{cell}</th> : <td key={j}>{cell}</td>))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="table-links no-print">
        {more ? <Link to={more.href}>{more.label}</Link> : null}
        {more && csv && rows.length > 0 ? " · " : null}
        {csv && rows.length > 0 ? (
          <a href={csv} download>
            Download CSV<span className="visually-hidden">: {caption}</span>
          </a>
        ) : null}
      </p>
    </div>
  );
}

export function InsightsFilters({ query, topics, errors, action }: { query: QueryView; topics: { id: string; name: string }[]; errors: Record<string, string[]>; action: string }) {
  return (
    <Form method="get" action={action} className="filters insights-filters no-print" aria-label="Period and topic">
      <label className="inline">
        Period{" "}
        <select name="range" defaultValue={query.range}>
          <option value="7">Last 7 days</option>
          <option value="30">Last 30 days</option>
          <option value="90">Last 90 days</option>
          <option value="custom">Custom dates</option>
        </select>
      </label>{" "}
      <label className="inline">
        From{" "}
        <input type="date" name="from" defaultValue={query.from ?? ""} aria-describedby={errors.from ? "from-error" : undefined} />
      </label>{" "}
      <label className="inline">
        To <input type="date" name="to" defaultValue={query.to ?? ""} aria-describedby={errors.to ? "to-error" : undefined} />
      </label>{" "}
      <label className="inline">
        Topic{" "}
        <select name="topic" defaultValue={query.topic ?? ""}>
          <option value="">{topics.length ? "All my topics" : "All topics"}</option>
          {topics.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </label>{" "}
      <button type="submit">Show</button>
      {Object.entries(errors).map(([field, msgs]) => (
        <p key={field} id={`${field}-error`} className="field-error" role="alert">
          {msgs.join(" ")}
        </p>
      ))}
    </Form>
  );
}
