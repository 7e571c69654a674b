// Cluster panel: shown only on a clustered node (its GET / links "cluster"; a single server has no /cluster).
// Polls the node's view (/cluster: view id, replication factor, anti-entropy activity) and every member's own
// counts (/cluster/nodes: keys and memory as each member holds them, copies included) every few seconds.

import { api } from './api.js';
import { $, el, setText } from './dom.js';
import * as fmt from './format.js';

const POLL_MS = 3000;

export class ClusterPanel {
  constructor(root) {
    this.root = root;
  }

  async init() {
    let info = null;
    while (!info) {
      try {
        info = await api.info();
      } catch { // unreachable for now (the overview says so): ask again
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    }
    if (!info.cluster) return; // a single server: the panel stays hidden
    await this.poll().catch(() => {});
    this.timer = setInterval(() => this.poll().catch(() => {}), POLL_MS);
  }

  async poll() {
    const [cluster, nodes] = await Promise.all([api.cluster(), api.clusterNodes()]);
    this.root.hidden = false;
    setText($('#cl-view', this.root), cluster.view_id === undefined ? '—' : String(cluster.view_id));
    setText($('#cl-rf', this.root), String(cluster.replication_factor));
    const up = nodes.nodes.filter((n) => n.status === 'up').length;
    setText($('#cl-members', this.root), `${up} of ${nodes.nodes.length} up`);
    this.showNodes(nodes.nodes);
    this.showAntiEntropy(cluster.anti_entropy);
  }

  showNodes(nodes) {
    const rows = nodes.map((n) => el('tr', { dataset: { address: n.address, status: n.status } },
      el('td', {}, el('code', {}, n.address), n.self ? el('span.badge.self', {}, 'this node') : null),
      el('td', {}, el('span.badge', { dataset: { status: n.status } }, n.status)),
      el('td', {}, n.node_id ?? '—'),
      el('td.num.keys', {}, n.error ? '—' : fmt.int(n.current_size)),
      el('td.num.memory', {}, n.error ? '—' : fmt.bytes(n.memory_usage_bytes)),
      el('td.muted.small', {}, n.error ?? '')));
    $('#cl-nodes tbody', this.root).replaceChildren(...rows);
  }

  // Whatever counters the node reports about anti-entropy (runs, keys repaired, last run ...), as name: value.
  showAntiEntropy(activity) {
    const box = $('#cl-anti-entropy', this.root);
    if (!activity || typeof activity !== 'object') {
      box.replaceChildren(el('span.muted', {}, 'not reported by this node'));
      return;
    }
    box.replaceChildren(...Object.entries(activity).map(([name, value]) =>
      el('div', {}, el('dt', {}, name.replaceAll('_', ' ')),
        el('dd', { dataset: { field: name } }, typeof value === 'number' ? fmt.dec2(value).replace(/\.00$/, '')
          : String(value)))));
  }
}
