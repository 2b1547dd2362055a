/** The few icons the app draws (inline SVG: no icon font, no emoji that a machine may lack). */
const PATHS = {
  thumbUp: "M7 10v11H3V10h4Zm2 11h8.3a2 2 0 0 0 2-1.6l1.3-7A2 2 0 0 0 18.6 10H14l.8-4.1a1.6 1.6 0 0 0-2.9-1.2L9 9.6V21Z",
  thumbDown: "M17 14V3h4v11h-4Zm-2-11H6.7a2 2 0 0 0-2 1.6l-1.3 7A2 2 0 0 0 5.4 14H10l-.8 4.1a1.6 1.6 0 0 0 2.9 1.2L15 14.4V3Z",
  flag: "M5 21V4h10l.6 2H21v10h-7l-.6-2H7v7H5Z",
} as const;

export function Icon({ name }: { name: keyof typeof PATHS }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="currentColor" />
    </svg>
  );
}
