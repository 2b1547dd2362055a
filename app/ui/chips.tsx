/** An item's topics as chips, in queue rows and on home pages. */
export function TopicChips({ names }: { names: string[] }) {
  return (
    <>
      {names.map((t) => (
        <span key={t} className="chip">
          {t}
        </span>
      ))}
    </>
  );
}
