/** What an area not built yet says, plainly, instead of a broken page. */
export function ComingSoon({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="card coming-soon">
      <h1>{title}</h1>
      <p className="notice" role="status">
        This area is not built yet.
      </p>
      <p>{children}</p>
      <p>
        <a href="/">Back to your home page</a>
      </p>
    </section>
  );
}
