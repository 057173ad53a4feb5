import { CHART_KINDS, overdueOverTime, progressByTheme, statusOverTime, type ChartData, type ChartKind } from '../domain/charts';
import { renderChart, type RenderedChart } from '../charts/render';
import type { Db } from '../store/client';
import { loadItems, loadMeetings, loadPlanStarts } from '../store/tracked-items';

export type { RenderedChart } from '../charts/render';

/** The numbers behind charts of the plans as of a moment, read from the database. */
export async function chartData(deps: { db: Db; timeZone: string }, asOf: Date, kinds: readonly ChartKind[] = CHART_KINDS): Promise<ChartData[]> {
  const [items, meetings, starts] = await Promise.all([loadItems(deps.db), loadMeetings(deps.db), loadPlanStarts(deps.db)]);
  const from = starts[0];
  if (!from) throw new Error('no plans: import the plans first');
  const context = { timeZone: deps.timeZone, meetings };
  return kinds.map((kind): ChartData => {
    switch (kind) {
      case 'status':
        return statusOverTime(items, from, asOf, deps.timeZone);
      case 'themes':
        return progressByTheme(items, asOf);
      case 'overdue':
        return overdueOverTime(items, from, asOf, context);
    }
  });
}

/**
 * The charts of the plans as of a moment, drawn: for the digest, /chart, App Home, the console
 * and the published report (which inlines each `png` as a data: URI with its `altText`).
 */
export async function renderCharts(deps: { db: Db; timeZone: string }, asOf: Date, kinds: readonly ChartKind[] = CHART_KINDS): Promise<RenderedChart[]> {
  return (await chartData(deps, asOf, kinds)).map((data) => renderChart(data, deps.timeZone));
}
