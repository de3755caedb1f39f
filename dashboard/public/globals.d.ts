// The parts of ECharts (served at /assets/vendor/echarts.min.js as the `echarts` global) the pages use.
interface EChartsInstance {
  setOption(option: Record<string, unknown>): void;
  resize(): void;
  on(event: string, handler: (params: any) => void): void;
  dispose(): void;
}

interface ECharts {
  init(el: HTMLElement, theme: string | null, options: { renderer: 'canvas' | 'svg' }): EChartsInstance;
}

interface Window {
  echarts?: ECharts;
}
