// Console entry point: wires the panels together. Loaded as an ES module after uPlot's classic script.

import { $ } from './dom.js';
import { Charts } from './charts.js';
import { Overview } from './overview.js';
import { LoadTest } from './loadtest.js';
import { KeyBrowser } from './keys.js';
import { startRole } from './role.js';
import { ClusterPanel } from './cluster.js';

if (typeof window.uPlot !== 'function') {
  const banner = $('#conn-banner');
  $('#conn-banner-text').textContent =
    'The chart library (/webjars/uplot/…) did not load: the server must serve its WebJars at /webjars/.';
  banner.hidden = false;
  throw new Error('uPlot missing');
}

const charts = new Charts($('#charts'));
new Overview(charts).start();
new LoadTest($('#loadtest')).init();
new KeyBrowser($('#keys')).init();
startRole();
new ClusterPanel($('#cluster')).init();
