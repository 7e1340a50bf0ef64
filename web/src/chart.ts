/** ECharts, bundled from npm with only the parts the workbench draws (no CDN). */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

export interface Series {
  name: string;
  type: 'bar' | 'line';
  /** null: no value for that category (a gap in a line, e.g. a month without points has no point value). */
  data: (number | null)[];
  /** Draw on the right-hand axis. */
  right?: boolean;
  stack?: string;
}

/** A bar/line chart by category (e.g. month) in a new element; resized with the window. */
export function chart(
  categories: string[],
  series: Series[],
  o: { left?: string; right?: string; testId?: string } = {},
) {
  const el = document.createElement('div');
  el.className = 'chart';
  if (o.testId) el.dataset.testid = o.testId;
  let c: echarts.ECharts | undefined;
  // Drawn once the element is in the page and has a size; resized with it.
  new ResizeObserver(() => {
    if (el.clientWidth === 0) return;
    if (c) {
      c.resize();
      return;
    }
    c = echarts.init(el, undefined, { renderer: 'canvas' });
    c.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 70, right: 70, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: categories },
      yAxis: [
        { type: 'value', name: o.left ?? '', scale: false },
        { type: 'value', name: o.right ?? '', scale: true, splitLine: { show: false } },
      ],
      series: series.map((s) => ({
        name: s.name,
        type: s.type,
        data: s.data,
        yAxisIndex: s.right ? 1 : 0,
        ...(s.stack ? { stack: s.stack } : {}),
      })),
    });
    el.dataset.ready = 'true';
  }).observe(el);
  return el;
}
