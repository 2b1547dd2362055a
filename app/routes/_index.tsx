import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { can } from "../auth/policy";
import { requireUser } from "../auth/session.server";
import { homeFor } from "../models/home.server";

export const meta: MetaFunction = () => [{ title: "Home · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { user, home: await homeFor(user) };
}

export default function Home() {
  const { user, home } = useLoaderData<typeof loader>();
  const roles = user.roles;
  return (
    <div className="home">
      <h1>Hello, {user.displayName.split(" ")[0]}</h1>
      <div className="card-grid">
        {can(roles, "search.use") && roles.includes("agent") ? (
          <section className="card" data-home="agent">
            <h2>Find a certified answer</h2>
            <p>Search the answers experts have certified, then copy the short or the full answer into your reply.</p>
            <Form method="get" action="/search" role="search">
              <label htmlFor="home-q" className="visually-hidden">
                Search certified answers
              </label>
              <input id="home-q" name="q" type="search" placeholder="e.g. how do I get a refund" />
              <button type="submit">Search</button>
            </Form>
          </section>
        ) : null}
        {can(roles, "answer.draft") ? (
          <section className="card" data-home="author">
            <h2>Share what you know</h2>
            <p>Draft an answer to a customer question; experts review it and a knowledge manager certifies it.</p>
            <Link to="/write" className="button">
              Write a draft answer
            </Link>
          </section>
        ) : null}
        {can(roles, "answer.review") ? (
          <section className="card" data-home="expert">
            <h2>Review drafts</h2>
            {home.expertTopics.length > 0 ? (
              <p>
                You review: <strong>{home.expertTopics.map((t) => t.name).join(", ")}</strong>.
              </p>
            ) : (
              <p>You are not an expert of any topic yet: an admin assigns topics.</p>
            )}
            <Link to="/review" className="button">
              Open the review queue
            </Link>
          </section>
        ) : null}
        {can(roles, "answer.certify") ? (
          <section className="card" data-home="knowledge-manager">
            <h2>Certify answers</h2>
            <p>Expert-approved answers wait for you to certify them, set their owner and their re-verification date.</p>
            <Link to="/review" className="button">
              Open the certification queue
            </Link>
          </section>
        ) : null}
        {home.admin ? (
          <section className="card" data-home="admin">
            <h2>Administration</h2>
            <p>
              {home.admin.activeUsers} active of {home.admin.users} users · {home.admin.topics} topics
            </p>
            <p className="actions">
              <Link to="/admin/users" className="button">
                Users
              </Link>
              <Link to="/admin/topics" className="button">
                Topics and experts
              </Link>
            </p>
          </section>
        ) : null}
      </div>
    </div>
  );
}
