/**
 * Transfers in and out per region and year with their funds (GET /v1/statistics through the
 * console API): a chart like the report's table 8 (Apache ECharts, SVG, with its aria
 * description) and the exact figures in a table beside it. Money stays integer fen; yuan are
 * formatted from the digits.
 */
import { h } from '../app/dom.ts';
import { say } from '../app/i18n.ts';
import { read, type StatisticsPage } from './api.ts';
import { count, yuan } from './format.ts';
import { T } from './texts.ts';
import { table } from './ui.ts';

/** The chart of one region's rows; returns how to dispose of it. ECharts is its own chunk, loaded with this page only. */
async function chart(el: HTMLElement, rows: StatisticsPage['statistics']): Promise<() => void> {
  const echarts = await import('echarts');
  const c = echarts.init(el, undefined, { renderer: 'svg' });
  const wholeYuan = (fen: number) => yuan(fen).slice(0, -3);
  c.setOption({
    aria: { enabled: true },
    animation: false,
    title: { text: say(T.chartTitle), left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => String(v) },
    legend: { top: 28 },
    grid: { top: 70, left: 60, right: 90, bottom: 30 },
    xAxis: { type: 'category', data: rows.map((r) => String(r.year)) },
    yAxis: [
      { type: 'value', name: say(T.count2), minInterval: 1 },
      { type: 'value', name: say(T.funds), axisLabel: { formatter: (v: number) => wholeYuan(v) } },
    ],
    series: [
      { name: say(T.transfersIn), type: 'bar', data: rows.map((r) => r.transfersIn), itemStyle: { color: '#0b5cad' } },
      { name: say(T.transfersOut), type: 'bar', data: rows.map((r) => r.transfersOut), itemStyle: { color: '#a4001d' } },
      { name: say(T.fundsIn), type: 'line', yAxisIndex: 1, data: rows.map((r) => r.fundsInFen), tooltip: { valueFormatter: (v: number) => yuan(v) }, itemStyle: { color: '#176f2c' } },
      { name: say(T.fundsOut), type: 'line', yAxisIndex: 1, data: rows.map((r) => r.fundsOutFen), tooltip: { valueFormatter: (v: number) => yuan(v) }, itemStyle: { color: '#7a4a00' } },
    ],
  });
  return () => c.dispose();
}

export async function renderTransfers(root: HTMLElement, query: URLSearchParams): Promise<() => void> {
  const data = await read<StatisticsPage>('/v1/console/statistics');
  root.append(h('h2', { id: 'page-title' }, say(T.transfers)), h('p', {}, say(T.transfersIntro)));
  if (!data.statistics.length) {
    root.append(h('p', {}, say(T.noTransfers)));
    return () => {};
  }
  const regions = [...new Map(data.statistics.map((r) => [r.region, r.regionLabel])).entries()];
  const region = regions.some(([code]) => code === query.get('region')) ? query.get('region')! : regions[0][0];
  const rows = data.statistics.filter((r) => r.region === region).sort((a, b) => a.year - b.year);
  const picker = h(
    'div',
    { class: 'field' },
    h('label', { for: 't-region' }, say(T.regionName)),
    h(
      'select',
      { id: 't-region', onchange: (e: Event) => (location.hash = `#/console/transfers?region=${(e.target as HTMLSelectElement).value}`) },
      ...regions.map(([code, label]) => h('option', { value: code, selected: code === region }, `${say(label)} (${code})`)),
    ),
  );
  const box = h('div', { class: 'chart', 'data-testid': 'transfers-chart', role: 'img', 'aria-label': `${say(T.chartTitle)}: ${region}` });
  root.append(
    h('p', {}, `${say(T.scope)}: ${data.scope === 'all' ? say(T.allRegions) : data.scope}`),
    picker,
    box,
    table(
      { zh: `${region} 各年转入转出`, en: `Transfers in and out of ${region} per year` },
      [T.year, T.transfersIn, T.fundsIn, T.transfersOut, T.fundsOut],
      rows.map((r) => [String(r.year), count(r.transfersIn), yuan(r.fundsInFen), count(r.transfersOut), yuan(r.fundsOutFen)]),
      { class: 'numbers', 'data-testid': 'transfers-table' },
    ),
  );
  return await chart(box, rows);
}
