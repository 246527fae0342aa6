// The Kubernetes export: every object of every preset validates against the Kubernetes API's own
// schemas (kubernetes-models), the HPA follows the autoscaling settings, the secrets the plan
// refers to are defined before use, HAProxy finds the API pods through the headless Service, and
// the k6 operator's TestRun splits the workload over its runners.
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { resolveConfig } from '../config.js';
import { getPreset, presetNames } from '../topology/presets.js';
import type { Topology } from '../topology/schema.js';
import type { Role } from '../topology/service-spec.js';
import { kubernetesFiles, loadObjects, stackObjects } from './kubernetes-export.js';
import type { K8sObject } from './kubernetes-objects.js';

const MODELS: Record<string, new (o: never) => { validate(): void }> = {
  Namespace,
  Secret,
  ConfigMap,
  PersistentVolumeClaim,
  Service,
  Deployment,
  StatefulSet,
  HorizontalPodAutoscaler,
};
const images = new Proxy({}, { get: (_t, role) => `scalelab/${String(role)}:abc123` }) as Record<Role, string>;
const options = { images, appVersion: '0.1.0', loadScriptsDir: resolveConfig().loadScriptsDir };
const topology = (name: string, edit: (t: Topology) => void = () => undefined) => {
  const t = structuredClone(getPreset(name).topology);
  edit(t);
  return t;
};
const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
type Container = { name: string; env: Array<{ name: string; value?: string; valueFrom?: unknown }> };
const containersOf = (o: K8sObject) =>
  (o as unknown as { spec: { template: { spec: { containers: Container[] } } } }).spec.template.spec.containers;

describe('the Kubernetes export', () => {
  it.each(presetNames())('%s: every object validates against the Kubernetes schemas', (name) => {
    const objects = stackObjects(topology(name), options);
    for (const o of objects) {
      const Model = MODELS[o.kind];
      expect(Model, `a model for ${o.kind}`).toBeDefined();
      expect(
        () => new Model!(o as never).validate(),
        `${o.kind} ${JSON.stringify((o as { metadata?: unknown }).metadata)}`,
      ).not.toThrow();
    }
    // Every name a pod is reached by is a Service: the plan's services and their aliases.
    const services = new Set(byKind(objects, 'Service').map((s) => (s.metadata as { name: string }).name));
    for (const w of [...byKind(objects, 'Deployment'), ...byKind(objects, 'StatefulSet')])
      expect(services.has((w.metadata as { name: string }).name)).toBe(true);
  });

  it('defines each secret before the variables that use it, and names no secret in the clear', () => {
    const objects = stackObjects(
      topology('full', (t) => (t.monitoring.enabled = true)),
      options,
    );
    const secret = byKind(objects, 'Secret')[0] as unknown as { stringData: Record<string, string> };
    const text = JSON.stringify(objects.filter((o) => o.kind !== 'Secret'));
    for (const value of Object.values(secret.stringData)) expect(text).not.toContain(value);
    for (const w of [...byKind(objects, 'Deployment'), ...byKind(objects, 'StatefulSet')])
      for (const c of containersOf(w)) {
        const defined = new Set<string>();
        for (const e of c.env) {
          for (const [, ref] of (e.value ?? '').matchAll(/\$\(([A-Z_]+)\)/g))
            expect(defined.has(ref!), `${c.name} ${e.name}`).toBe(true);
          defined.add(e.name);
        }
      }
  });

  it('runs the API instances as one Deployment behind a headless Service that HAProxy resolves', () => {
    const objects = stackObjects(topology('full'), options);
    const api = byKind(objects, 'Deployment').find((d) => (d.metadata as { name: string }).name === 'api')!;
    expect((api.spec as { replicas: number }).replicas).toBe(getPreset('full').topology.api.instances);
    const svc = byKind(objects, 'Service').find((d) => (d.metadata as { name: string }).name === 'api')!;
    expect((svc.spec as { clusterIP: string }).clusterIP).toBe('None');
    const lb = containersOf(
      byKind(objects, 'Deployment').find((d) => (d.metadata as { name: string }).name === 'lb')!,
    )[0]!;
    expect(lb.env).toContainEqual({ name: 'LB_DNS', value: 'resolv.conf' });
    expect(lb.env).toContainEqual({ name: 'API_HOST', value: 'api.scalelab.svc.cluster.local' });
    // Each database node keeps its data in a claim of its own.
    expect(byKind(objects, 'StatefulSet').map((s) => (s.metadata as { name: string }).name)).toEqual(
      expect.arrayContaining(['db-primary', 'db-replica-1']),
    );
  });

  it('an HPA that follows the autoscaling settings, by CPU or by p95', () => {
    const cpu = stackObjects(
      topology('full', (t) =>
        Object.assign(t.api.autoscale, { enabled: true, min: 2, max: 6, metric: 'cpu', targetCpuPercent: 70 }),
      ),
      options,
    );
    const hpa = byKind(cpu, 'HorizontalPodAutoscaler')[0]!.spec as Record<string, unknown>;
    expect(hpa).toMatchObject({
      scaleTargetRef: { kind: 'Deployment', name: 'api' },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { averageUtilization: 70 } } }],
    });
    const p95 = stackObjects(
      topology('full', (t) => Object.assign(t.api.autoscale, { enabled: true, metric: 'p95', targetP95Ms: 120 })),
      options,
    );
    expect(byKind(p95, 'HorizontalPodAutoscaler')[0]!.spec).toMatchObject({
      metrics: [{ type: 'Pods', pods: { target: { type: 'AverageValue', averageValue: '120' } } }],
    });
    expect(byKind(stackObjects(topology('full'), options), 'HorizontalPodAutoscaler')).toEqual([]);
  });

  it('a k6 operator TestRun over several runners, its script and workloads in a ConfigMap', () => {
    const [config, run] = loadObjects({ ...options, workload: 'mixed', parallelism: 4 });
    expect(() => new ConfigMap(config as never).validate()).not.toThrow();
    expect(Object.keys((config as unknown as { data: object }).data)).toEqual(
      expect.arrayContaining(['workload.js', 'mixed.json']),
    );
    expect(run).toMatchObject({
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      spec: {
        parallelism: 4,
        script: { configMap: { name: 'scalelab-k6', file: 'workload.js' } },
        runner: { env: expect.arrayContaining([{ name: 'WORKLOAD', value: '/test/mixed.json' }]) },
      },
    });
    expect(() => loadObjects({ ...options, workload: 'nope' })).toThrow(/no workload nope/);
  });

  it('writes YAML that reads back as the same objects, and a README naming the images', () => {
    const t = topology('three-tier');
    const files = kubernetesFiles(t, options);
    const docs = parseAllDocuments(String(files['scalelab.yaml'])).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(stackObjects(t, options).map((o) => o.kind));
    expect(parseAllDocuments(String(files['k6-testrun.yaml'])).map((d) => d.toJS().kind)).toEqual([
      'ConfigMap',
      'TestRun',
    ]);
    expect(String(files['README.md'])).toContain('scalelab/api:abc123');
    expect(parse(String(files['scalelab.yaml']).split('---')[0]!).kind).toBe('Namespace');
  });
});
