import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { forbidden, requireUser } from "../auth/session.server";
import { insightsDashboard } from "../models/insights.server";
import { csvHref, FigureCard, InsightsFilters, listHref, SimpleTable } from "../ui/insights/panels";
import { LineChart } from "../ui/insights/line-chart";
import { isDomainError } from "../utils/errors";

export const meta: MetaFunction = () => [{ title: "Knowledge health · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  try {
    return await insightsDashboard(user, new URL(request.url));
  } catch (error) {
    if (isDomainError(error) && error.code === "forbidden") throw forbidden(error.message);
    throw error;
  }
}

const STATE_NAMES: Record<string, string> = { in_review: "Review", in_certification: "Certification" };

export default function Insights() {
  const d = useLoaderData<typeof loader>();
  const { current, previous, bucket, timeZone } = d.range;
  const q = d.query;
  const href = (list: string) => listHref(list, q);
  const prevLabel = `${previous.fromDay} to ${previous.toDay}`;
  return (
    <div className="insights">
      <h1>Knowledge health</h1>
      <p className="muted">
        {current.fromDay} to {current.toDay} ({current.days} days, {timeZone}), compared with {prevLabel}.{" "}
        {q.topic ? `Topic: ${d.topics.find((t) => t.id === q.topic)?.name ?? "?"}.` : d.allTopics ? "All topics." : "Your topics only."}
      </p>
      <InsightsFilters query={q} topics={d.topics} errors={d.errors} action="/insights" />

      <section aria-labelledby="findability" className="panel">
        <h2 id="findability">Findability</h2>
        <div className="figures">
          {d.findability.figures.map((f) => (
            <FigureCard key={f.key} figure={f} previousLabel={prevLabel} href={f.drill ? href(f.drill) : undefined} />
          ))}
        </div>
        <LineChart series={d.findability.series} bucket={bucket} />
        <SimpleTable
          caption="Top failed searches, similar wordings grouped"
          csv={csvHref("failed-groups", q)}
          more={{ href: href("failed"), label: "Every failed search" }}
          head={["Query", "Searches", "Wordings", ""]}
          rows={d.findability.failed.groups.map((g) => [
            g.query,
            String(g.count),
            g.variants.length > 1 ? g.variants.slice(1, 4).join(", ") : "—",
            <Link key="w" to={`/answers/new?${new URLSearchParams({ question: g.query }).toString()}`}>
              Write this answer
            </Link>,
          ])}
          empty="No failed searches in this period."
        />
        <SimpleTable
          caption="Opened from a search, then not used"
          csv={csvHref("opened-unused", q)}
          more={{ href: href("opened-unused"), label: "Every answer opened and left" }}
          head={["Answer", "Opened, not used", "Opened"]}
          rows={d.findability.openedUnused.map((r) => [
            <Link key="a" to={`/answers/${r.answerId}`}>
              {r.question}
            </Link>,
            String(r.unused),
            String(r.opens),
          ])}
          empty="No answer was opened from a search and left unused in this period."
        />
      </section>

      <section aria-labelledby="reuse" className="panel">
        <h2 id="reuse">Reuse vs create</h2>
        <div className="figures">
          {d.reuse.figures.map((f) => (
            <FigureCard key={f.key} figure={f} previousLabel={prevLabel} href={f.drill ? href(f.drill) : undefined} />
          ))}
        </div>
        <LineChart series={d.reuse.series} bucket={bucket} />
        <SimpleTable
          caption="Most used answers per channel"
          csv={csvHref("channels", q)}
          head={["Channel", "Answer", "Uses"]}
          rows={d.reuse.channels.map((c) => [
            c.channel,
            <Link key="a" to={`/answers/${c.answerId}`}>
              {c.question}
            </Link>,
            String(c.uses),
          ])}
          empty="No uses in this period."
        />
      </section>

      <section aria-labelledby="flow" className="panel">
        <h2 id="flow">Flow</h2>
        <div className="figures">
          {d.flow.figures.map((f) => (
            <FigureCard key={f.key} figure={f} previousLabel={prevLabel} href={f.drill ? href(f.drill) : undefined} />
          ))}
        </div>
        <LineChart series={d.flow.series} bucket={bucket} />
        <SimpleTable
          caption="Queues now"
          csv={csvHref("queue", q)}
          more={{ href: href("queue"), label: "Every waiting item, with its age against the target" }}
          head={["Waiting for", "Items", "Past target", "Oldest"]}
          rows={d.flow.queues.map((s) => [
            STATE_NAMES[s.state] ?? s.state,
            String(s.size),
            s.overdue > 0 ? <strong key="o" className="badge danger">{s.overdue}</strong> : "0",
            s.oldestLink ? (
              <Link key="l" to={s.oldestLink}>
                {s.oldestQuestion} ({s.oldestDays} working days)
              </Link>
            ) : (
              "—"
            ),
          ])}
          empty="Nothing waiting."
        />
        <SimpleTable
          caption="Time in each workflow state"
          csv={csvHref("states", q)}
          head={["State", "Stays ended", "Median", "p90"]}
          rows={d.flow.states.map((s) => [s.state.replace(/_/g, " "), String(s.stays), s.medianHours === null ? "—" : `${s.medianHours} h`, s.p90Hours === null ? "—" : `${s.p90Hours} h`])}
          empty="No workflow changes in this period."
        />
      </section>

      <section aria-labelledby="health" className="panel">
        <h2 id="health">Health</h2>
        {d.health.asOf ? <p className="muted">Counts marked &ldquo;now&rdquo; as of {d.health.asOf} (refreshed every 5 minutes).</p> : null}
        <div className="figures">
          {d.health.figures.map((f) => (
            <FigureCard key={f.key} figure={f} previousLabel={prevLabel} href={f.drill ? href(f.drill) : undefined} />
          ))}
        </div>
        <LineChart series={d.health.series} bucket={bucket} />
        <SimpleTable
          caption="Known internally, missing on the FAQ"
          csv={csvHref("internal-popular", q)}
          head={["Internal answer", "Uses"]}
          rows={d.health.internal.map((r) => [
            <Link key="a" to={`/answers/${r.answerId}`}>
              {r.question}
            </Link>,
            String(r.uses),
          ])}
          empty="No internal answer was used often enough to suggest it for the FAQ."
        />
      </section>

      <section aria-labelledby="feedback" className="panel">
        <h2 id="feedback">Feedback</h2>
        <div className="figures">
          {d.feedback.figures.map((f) => (
            <FigureCard key={f.key} figure={f} previousLabel={prevLabel} href={f.drill ? href(f.drill) : undefined} />
          ))}
        </div>
        <LineChart series={d.feedback.series} bucket={bucket} />
        <SimpleTable
          caption="Flags by reason"
          csv={csvHref("flag-reasons", q)}
          more={{ href: "/feedback", label: "The feedback queue" }}
          head={["Reason", "Opened", "Acted on"]}
          rows={d.feedback.reasons.map((r) => [r.reason.replace(/_/g, " "), String(r.opened), String(r.acted)])}
          empty="No flags in this period."
        />
      </section>
    </div>
  );
}
