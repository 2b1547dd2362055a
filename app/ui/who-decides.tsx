import { Link } from "@remix-run/react";

export interface DecidersView {
  step: "review" | "certification";
  names: string[];
  admins: string[];
}

const list = (names: string[]) => (names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`);

/**
 * Says why the viewer cannot decide on this version and who can, instead of a bare "nothing for
 * you to decide": separation of duties keeps the author out of every decision on their version.
 */
export function WhoDecides({ deciders, isAuthor }: { deciders: DecidersView; isAuthor: boolean }) {
  const certification = deciders.step === "certification";
  const why = isAuthor
    ? certification
      ? "You wrote this version, so another knowledge manager must certify it: nobody certifies their own text."
      : "You wrote this version, so experts of its topic review it: nobody reviews their own text."
    : certification
      ? "It waits for a knowledge manager to certify it."
      : "It waits for review by an expert of its topic who has not approved it yet.";
  return (
    <section className="notice" aria-labelledby="who-decides-heading" id="who-decides">
      <h2 id="who-decides-heading">
        Who decides now
      </h2>
      <p>{why}</p>
      {deciders.names.length > 0 ? (
        <p>
          {certification ? "Can certify it" : "Can review it"}: {list(deciders.names)}.
        </p>
      ) : (
        <p>
          <strong>Nobody else can {certification ? "certify" : "review"} it yet.</strong>{" "}
          {certification
            ? "An admin can make a second person a knowledge manager"
            : "An admin can add an expert to this answer's topic"}{" "}
          in <Link to={certification ? "/admin/users" : "/admin/topics"}>Admin</Link>
          {deciders.admins.length > 0 ? ` (admins: ${list(deciders.admins)})` : ""}.
        </p>
      )}
    </section>
  );
}
