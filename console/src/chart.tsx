/** Apache ECharts in React, with only the chart kinds the dashboard draws (tree-shaken, its own chunk). */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { type EChartsCoreOption, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  TitleComponent,
  AriaComponent,
  CanvasRenderer,
]);

export function Chart(props: {
  option: EChartsCoreOption;
  label: string;
  height?: number;
  onClick?: (params: { name: string; dataIndex: number }) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const click = useRef(props.onClick);
  click.current = props.onClick;
  const chart = useRef<ReturnType<typeof init>>(undefined);
  useEffect(() => {
    const instance = init(element.current as HTMLDivElement);
    chart.current = instance;
    instance.on('click', (params) => click.current?.(params as unknown as { name: string; dataIndex: number }));
    const resize = () => instance.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      instance.dispose();
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true }, ...props.option }, true);
  }, [props.option]);
  return (
    <div ref={element} role="img" aria-label={props.label} style={{ width: '100%', height: props.height ?? 300 }} />
  );
}
