// @ts-check
// ECharts, loaded from our own origin on first use (no CDN; CSP allows only 'self').

/** @type {Promise<ECharts> | undefined} */
let loading;

/**
 * The ECharts global, loading the script on first use.
 * @returns {Promise<ECharts>}
 */
export function loadECharts() {
  loading ??= new Promise((resolve, reject) => {
    if (window.echarts) return resolve(window.echarts);
    const s = document.createElement('script');
    s.src = '/assets/vendor/echarts.min.js';
    // A script that loads but defines no global (a proxy's error page, say) must fail here, not at init().
    s.onload = () => (window.echarts ? resolve(window.echarts) : reject(new Error('ECharts failed to load')));
    s.onerror = () => reject(new Error('ECharts failed to load'));
    document.head.append(s);
  });
  return loading;
}

/**
 * Draws a chart. Tooltips use ECharts' rich-text mode: labels from crawled data never become HTML.
 * @param {HTMLElement} el
 * @param {Record<string, any>} option
 */
export async function chart(el, option) {
  const echarts = await loadECharts();
  const instance = echarts.init(el, null, { renderer: 'canvas' });
  instance.setOption({
    animation: false,
    textStyle: { fontFamily: 'system-ui, "PingFang SC", "Microsoft YaHei", sans-serif' },
    ...option,
    tooltip: { renderMode: 'richText', trigger: 'axis', ...(option.tooltip ?? {}) },
  });
  const onResize = () => instance.resize();
  window.addEventListener('resize', onResize);
  return instance;
}
