/**
 * The ledger's two charts as SVG, rendered in Node by Apache ECharts' server-side
 * renderer (no browser): net position per province under both regimes, and the
 * largest flows between provinces under the 2009 rules.
 */
import { createRequire } from 'node:module';
import type { EChartsCoreOption } from 'echarts/types/dist/echarts';

// echarts' types are `export =`, which this repo's module settings cannot import; its CommonJS build is loaded as such
const { init } = createRequire(import.meta.url)('echarts') as typeof import('echarts/types/dist/echarts');
import { regionName } from '@jiexu/standard';
import type { LedgerResult } from '@jiexu/rules';
import { say, type Lang } from '../lang.ts';

const provinceLabel = (p: string, lang: Lang): string => (lang === 'zh' ? (regionName(`${p}0000`) ?? p) : p);
/** Fen → 10,000 yuan (万元), for the axis only: the exact figures are in the JSON and CSV. */
const wan = (fen: bigint): number => Number(fen / 10_000n) / 100;

function render(option: EChartsCoreOption, width: number, height: number): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

export function netChart(r: LedgerResult, lang: Lang): string {
  const provinces = Object.keys(r.differenceFen);
  const t = r.regimes;
  const names = { 'transfer-2009': say({ zh: '现行2009年办法', en: '2009 rules' }, lang), 'seal-pro-rata': say({ zh: '封存与按比例计发', en: 'seal and pro-rata' }, lang) };
  return render(
    {
      title: { text: say({ zh: '各省净头寸（万元）', en: 'Net position by province (10,000 yuan)' }, lang), subtext: say({ zh: `估值年度 ${r.inputs.valuationYear}，${r.people} 人`, en: `valuation year ${r.inputs.valuationYear}, ${r.people} people` }, lang) },
      legend: { top: 50, data: Object.values(names) },
      grid: { top: 90, left: 90, right: 30, bottom: 70 },
      xAxis: { type: 'category', data: provinces.map((p) => provinceLabel(p, lang)), axisLabel: { rotate: 60 } },
      yAxis: { type: 'value' },
      series: (['transfer-2009', 'seal-pro-rata'] as const).map((regime) => ({ name: names[regime], type: 'bar', data: provinces.map((p) => wan(t[regime].provinces[p]?.netFen ?? 0n)) })),
    },
    Math.max(640, 40 * provinces.length + 160),
    480,
  );
}

export function flowChart(r: LedgerResult, lang: Lang, top = 30): string {
  const flows = r.flows.filter((f) => f.from !== f.to).slice(0, top);
  // a sankey needs an acyclic graph: a flow and its return are drawn as source → target′
  const node = (p: string, side: 'from' | 'to') => `${provinceLabel(p, lang)}${side === 'to' ? ' ▸' : ''}`;
  const nodes = [...new Set(flows.flatMap((f) => [node(f.from, 'from'), node(f.to, 'to')]))].map((name) => ({ name }));
  return render(
    {
      title: { text: say({ zh: `省际转移资金（2009年办法，前 ${flows.length} 项，万元）`, en: `Funds moved between provinces (2009 rules, top ${flows.length}, 10,000 yuan)` }, lang) },
      series: [{ type: 'sankey', top: 50, data: nodes, links: flows.map((f) => ({ source: node(f.from, 'from'), target: node(f.to, 'to'), value: wan(f.fen) })), label: { fontSize: 11 } }],
    },
    900,
    Math.max(480, 18 * nodes.length),
  );
}
