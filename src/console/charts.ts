import * as echarts from 'echarts';

/**
 * Charts rendered on the server as SVG with Apache ECharts (its SSR mode needs no canvas or
 * browser): the page stays script-free and the SVG goes into the Word export as it is.
 */
export interface BarSeries {
  name: string;
  data: number[];
}

export function barChart(categories: string[], series: BarSeries[], options: { stacked?: boolean; horizontal?: boolean; width?: number; height?: number } = {}): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: options.width ?? 720, height: options.height ?? 280 });
  const category = { type: 'category' as const, data: categories, axisLabel: { interval: 0, hideOverlap: true } };
  const value = { type: 'value' as const, minInterval: 1 };
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: 'Noto Sans CJK SC, PingFang SC, sans-serif' },
    legend: series.length > 1 ? { top: 0 } : undefined,
    grid: { left: options.horizontal ? 160 : 40, right: 20, top: series.length > 1 ? 30 : 10, bottom: 30 },
    xAxis: options.horizontal ? value : category,
    yAxis: options.horizontal ? { ...category, inverse: true } : value,
    series: series.map((s) => ({ type: 'bar', name: s.name, data: s.data, ...(options.stacked ? { stack: 'total' } : {}) })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
