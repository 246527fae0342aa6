import { describe, expect, it } from 'vitest';
import { CLIENT, edgeWidth, layoutEdges, layoutNodes } from './graph-layout.js';
import { svc } from '../../testing/service-status.js';

const full = [
  svc('db-replica-1', 'db'),
  svc('api-2', 'api'),
  svc('cdn', 'cdn'),
  svc('lb', 'lb'),
  svc('api-1', 'api'),
  svc('api-3', 'api', 'exited'),
  svc('cache', 'cache'),
  svc('db-primary', 'db'),
];
const edge = (edges: ReturnType<typeof layoutEdges>, id: string) => edges.find((e) => e.id === id)!;

describe('the stack graph layout', () => {
  it('puts one tier per row from the client inward, each row centred', () => {
    const nodes = layoutNodes(full);
    const row = (id: string) => nodes.find((n) => n.id === id)!.y;
    expect([CLIENT, 'cdn', 'lb', 'api-1', 'cache', 'db-replica-1'].map(row)).toEqual(
      [...new Set([CLIENT, 'cdn', 'lb', 'api-1', 'cache', 'db-replica-1'].map(row))].sort((a, b) => a - b),
    );
    expect(row('api-1')).toBe(row('api-3'));
    expect(row('cache')).toBe(row('db-primary'));
    const apis = nodes.filter((n) => n.id.startsWith('api-')).map((n) => n.x);
    expect(apis).toEqual([...apis].sort((a, b) => a - b)); // api-1, api-2, api-3 left to right
    const lb = nodes.find((n) => n.id === 'lb')!;
    expect(lb.x).toBe(apis[1]); // a row of one sits in the middle of the widest
  });

  it('carries measured rates on the request path and colours failures', () => {
    const edges = layoutEdges(full, {
      'load.rps': 100,
      'load.error_rate': 0.07,
      'load.cache.EDGE_HIT': 30,
      'load.instance.api-1': 40,
      'load.instance.api-2': 30,
      'lb.api-1.up': 1,
      'lb.api-2.up': 0,
      'db.queries.primary': 12,
      'lag.db-replica-1.seconds': 1.5,
      'lag.db-replica-1.idle': 0,
    });
    expect(edge(edges, 'client->cdn')).toMatchObject({ rate: 100, label: '100/s', health: 'bad' });
    expect(edge(edges, 'cdn->lb')).toMatchObject({ rate: 70, label: '70/s' });
    expect(edge(edges, 'lb->api-1')).toMatchObject({ rate: 40, health: 'ok' });
    expect(edge(edges, 'lb->api-2')).toMatchObject({ health: 'down' }); // HAProxy says it is down
    expect(edge(edges, 'lb->api-3')).toMatchObject({ health: 'down', rate: null, label: null }); // exited
    // Data-tier edges share their target's total: no per-instance figure is made up.
    expect(edge(edges, 'api-1->db-primary')).toMatchObject({ rate: 12, label: null });
    expect(edge(edges, 'api-1->db-primary').title).toMatch(/all instances together/);
    expect(edge(edges, 'db-primary->db-replica-1')).toMatchObject({
      replication: true,
      label: 'lag 1.50 s',
      health: 'warn',
    });
  });

  it('enters at the first tier there is: the balancer, or the one instance of stage 1', () => {
    expect(layoutEdges([svc('lb', 'lb'), svc('api-1', 'api')], {})[0]).toMatchObject({ id: 'client->lb', rate: null });
    expect(layoutEdges([svc('api-1', 'api'), svc('db-primary', 'db')], {})[0].id).toBe('client->api-1');
  });

  it('widens an edge with its rate, from 1 px idle to 7 px', () => {
    expect(edgeWidth(null)).toBe(1);
    expect(edgeWidth(0)).toBe(1);
    expect(edgeWidth(10)).toBeLessThan(edgeWidth(100));
    expect(edgeWidth(1e6)).toBe(7);
  });

  it("under HA: the leader Patroni names gets its own row, the router's edges and WAL follow it", () => {
    const ha = [
      svc('lb', 'lb'),
      svc('api-1', 'api'),
      svc('db-router', 'dbrouter'),
      svc('db-primary', 'db'),
      svc('db-replica-1', 'db'),
      svc('etcd-1', 'etcd'),
    ];
    const v = {
      'ha.leader.db-primary': 0,
      'ha.leader.db-replica-1': 1,
      'db.queries.primary': 50,
      'db.queries.db-router:5433': 20,
      'lag.db-primary.seconds': 0.2,
    };
    const nodes = layoutNodes(ha, 'db-replica-1');
    const row = (id: string) => nodes.find((n) => n.id === id)!.y;
    expect(row('db-router')).toBeLessThan(row('db-replica-1'));
    expect(row('db-replica-1')).toBeLessThan(row('db-primary'));
    expect(row('db-primary')).toBe(row('etcd-1'));
    const edges = layoutEdges(ha, v);
    expect(edge(edges, 'api-1->db-router').rate).toBe(70);
    expect(edge(edges, 'db-router->db-replica-1')).toMatchObject({ rate: 50, label: '50 q/s' });
    expect(edge(edges, 'db-router->db-primary').rate).toBe(20);
    expect(edge(edges, 'db-replica-1->db-primary')).toMatchObject({ replication: true, label: 'lag 0.20 s' });
    expect(edges.some((e) => e.target.startsWith('etcd'))).toBe(false);
  });
});
