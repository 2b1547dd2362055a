import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { reputationRules } from "../models/people.server";

export const meta: MetaFunction = () => [{ title: "How expertise and points are counted · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "people.view");
  return { rules: reputationRules() };
}

export default function Rules() {
  const { rules } = useLoaderData<typeof loader>();
  return (
    <article>
      <p className="muted">
        <Link to="/people">People</Link>
      </p>
      <h1>How expertise and points are counted</h1>
      <section className="card">
        <h2>Expertise</h2>
        <p>
          Per topic and per product tag, from evidence anyone can see on a profile. Score = 5 × certified answers written + 3 × reviews + 3 × accepted forum replies + 2 × wiki pages,
          blog posts or forum replies that became answers + 0.1 × uses in replies (counted up to 1,000) + 0.5 × helpful ratings. It changes the moment the event happens.
        </p>
      </section>
      <section className="card">
        <h2>Points</h2>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Points</th>
              <th scope="col">At most a day</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.kind}>
                <td>{r.label}</td>
                <td>{r.points}</td>
                <td>{r.dailyCap}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">Each thing earns its points once. Nobody earns points from their own action: rating, using or accepting your own work counts for nothing.</p>
      </section>
    </article>
  );
}
