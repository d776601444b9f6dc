// The server's own metrics over the last hour (GET /metrics?format=json, root secret only):
// queries per second, latency percentiles, errors by code, compute/read/write ops and storage
// size, charted with uPlot and refreshed every interval.
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { type MetricsPoint, type MetricsReply, metrics } from './api';
import type { Session } from './session';
import { errorText } from './ui';

const COLORS = ['#4f46e5', '#059669', '#dc2626', '#d97706', '#0891b2', '#7c3aed', '#db2777'];

interface Series { label: string; values: (number | null)[] }

function Chart(props: { title: string; times: number[]; series: Series[]; unit?: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current!;
    const opts: uPlot.Options = {
      width: Math.max(300, el.clientWidth || 520),
      height: 180,
      scales: { x: { time: true } },
      axes: [{}, { label: props.unit, size: 60 }],
      series: [{}, ...props.series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 1.5 }))],
    };
    const plot = new uPlot(opts, [props.times, ...props.series.map((s) => s.values)] as uPlot.AlignedData, el);
    return () => plot.destroy();
  }, [props.times, props.series]);
  return (
    <figure class="card chart" aria-label={props.title}>
      <figcaption>{props.title}</figcaption>
      <div ref={host} />
    </figure>
  );
}

function chartsOf(points: MetricsPoint[]): { title: string; unit?: string; series: Series[] }[] {
  const pick = (f: (p: MetricsPoint) => number) => points.map(f);
  const codes = [...new Set(points.flatMap((p) => Object.keys(p.errors ?? {})))].sort();
  return [
    { title: 'Queries per second', unit: 'q/s', series: [{ label: 'qps', values: pick((p) => p.qps) }] },
    { title: 'Latency', unit: 'ms', series: [
      { label: 'p50', values: pick((p) => p.p50_ms) }, { label: 'p95', values: pick((p) => p.p95_ms) }, { label: 'p99', values: pick((p) => p.p99_ms) },
    ] },
    { title: 'Errors by code', unit: 'errors', series: codes.length
      ? codes.map((c) => ({ label: c, values: pick((p) => p.errors?.[c] ?? 0) }))
      : [{ label: 'errors', values: pick(() => 0) }] },
    { title: 'Operations', unit: 'ops', series: [
      { label: 'compute', values: pick((p) => p.compute_ops) }, { label: 'read', values: pick((p) => p.read_ops) }, { label: 'write', values: pick((p) => p.write_ops) },
    ] },
    { title: 'Storage size', unit: 'bytes', series: [{ label: 'storage', values: pick((p) => p.storage_bytes) }] },
  ];
}

export function MetricsView(props: { s: Session }) {
  const [reply, setReply] = useState<MetricsReply | { kind: 'loading' } | { kind: 'network'; message: string }>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      let next: typeof reply;
      try {
        next = await metrics(props.s.secret);
      } catch (e) {
        next = { kind: 'network', message: errorText(e) };
      }
      if (!live) return;
      setReply(next);
      timer = setTimeout(tick, next.kind === 'ok' ? Math.max(5, next.interval_s) * 1000 : 30_000);
    };
    tick();
    return () => { live = false; clearTimeout(timer); };
  }, [props.s.secret]);

  switch (reply.kind) {
    case 'loading': return <p class="muted">Loading metrics…</p>;
    case 'network': return <p class="error" role="alert">{reply.message}</p>;
    case 'unauthorized': return <p class="error" role="alert">Metrics are available to the root secret only: sign in with the server's root secret to see them ({reply.message}).</p>;
    case 'absent': return <p class="error" role="alert">This server does not expose metrics (GET /metrics answered 404).</p>;
    case 'failed': return <p class="error" role="alert">Could not read the metrics: {reply.message}</p>;
    case 'ok': {
      const times = reply.points.map((p) => p.t / 1000);
      const last = reply.points[reply.points.length - 1];
      return (
        <div>
          <p class="muted">Server-wide, last hour, one point every {reply.interval_s} s{last ? `; ${last.queries} queries in the last interval` : ''}. Same data as <code>/metrics</code> (Prometheus text).</p>
          {reply.points.length === 0 && <p class="muted">No data yet.</p>}
          <div class="charts">
            {chartsOf(reply.points).map((c) => <Chart title={c.title} unit={c.unit} times={times} series={c.series} />)}
          </div>
        </div>
      );
    }
  }
}
