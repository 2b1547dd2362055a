import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleLinear, scalePoint } from "@visx/scale";
import { LinePath } from "@visx/shape";
import { useId } from "react";

export interface ChartSeries {
  title: string;
  keys: { key: string; label: string }[];
  points: { bucket: string; values: Record<string, number> }[];
}

/** Distinguishable in greyscale print too: colour and dash pattern per line. */
const STYLES = [
  { stroke: "#1d4ed8", dash: undefined },
  { stroke: "#b45309", dash: "6 3" },
  { stroke: "#047857", dash: "2 3" },
];
const W = 640;
const H = 220;
const M = { top: 12, right: 16, bottom: 36, left: 44 };

const shortDay = (d: string) => d.slice(5);

/**
 * One measure over time as an SVG line chart, rendered on the server (no measuring, no
 * effects: the same markup hydrates). The SVG is an image with a title and a one-line summary;
 * the numbers themselves are in the table below it, which screen readers and print get too.
 */
export function LineChart({ series, bucket }: { series: ChartSeries; bucket: "day" | "week" }) {
  const id = useId();
  const x = scalePoint<string>({ domain: series.points.map((p) => p.bucket), range: [0, W - M.left - M.right] });
  const max = Math.max(1, ...series.points.flatMap((p) => series.keys.map((k) => p.values[k.key] ?? 0)));
  const y = scaleLinear<number>({ domain: [0, max], range: [H - M.top - M.bottom, 0], nice: true });
  const every = Math.max(1, Math.ceil(series.points.length / 8));
  const totals = series.keys.map((k) => `${k.label}: ${series.points.reduce((n, p) => n + (p.values[k.key] ?? 0), 0)}`).join(", ");
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} preserveAspectRatio="xMidYMid meet">
        <title id={`${id}-t`}>{series.title}</title>
        <desc id={`${id}-d`}>
          {`Per ${bucket}, ${series.points[0]?.bucket ?? ""} to ${series.points.at(-1)?.bucket ?? ""}. Totals: ${totals}. The table below has every value.`}
        </desc>
        <Group left={M.left} top={M.top}>
          <AxisLeft scale={y} numTicks={4} tickLabelProps={{ fontSize: 11, fill: "#374151" }} stroke="#9ca3af" tickStroke="#9ca3af" />
          <AxisBottom
            top={H - M.top - M.bottom}
            scale={x}
            tickValues={series.points.filter((_, i) => i % every === 0).map((p) => p.bucket)}
            tickFormat={(d) => shortDay(String(d))}
            tickLabelProps={{ fontSize: 11, fill: "#374151", textAnchor: "middle" }}
            stroke="#9ca3af"
            tickStroke="#9ca3af"
          />
          {series.keys.map((k, i) => (
            <LinePath
              key={k.key}
              data={series.points}
              x={(p) => x(p.bucket) ?? 0}
              y={(p) => y(p.values[k.key] ?? 0)}
              stroke={STYLES[i % STYLES.length]!.stroke}
              strokeDasharray={STYLES[i % STYLES.length]!.dash}
              strokeWidth={2}
            />
          ))}
        </Group>
      </svg>
      <figcaption>
        <ul className="chart-legend">
          {series.keys.map((k, i) => (
            <li key={k.key}>
              <svg width="24" height="8" aria-hidden="true">
                <line x1="0" y1="4" x2="24" y2="4" stroke={STYLES[i % STYLES.length]!.stroke} strokeDasharray={STYLES[i % STYLES.length]!.dash} strokeWidth="2" />
              </svg>{" "}
              {k.label}
            </li>
          ))}
        </ul>
        <details className="chart-table">
          <summary>{series.title}: the numbers</summary>
          <table className="data-table">
            <caption className="visually-hidden">{series.title}, per {bucket}</caption>
            <thead>
              <tr>
                <th scope="col">{bucket === "day" ? "Day" : "Week of"}</th>
                {series.keys.map((k) => (
                  <th scope="col" key={k.key}>
                    {k.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {series.points.map((p) => (
                <tr key={p.bucket}>
                  <th scope="row">{p.bucket}</th>
                  {series.keys.map((k) => (
                    <td key={k.key}>{p.values[k.key] ?? 0}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}
