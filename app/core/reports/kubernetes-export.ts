// The topology as Kubernetes manifests (`scalelab export kubernetes`): the stack in scalelab.yaml
// (Namespace, Secret, ConfigMap, Services, Deployments, StatefulSets, a HorizontalPodAutoscaler
// that follows the autoscaling settings), the workloads as a k6 operator TestRun split over several
// runners (k6's own execution segments), and a README saying how to apply them.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { MONITORING_DIR } from '../monitoring/prometheus-config.js';
import { PROMETHEUS_FILE_ENV } from '../topology/plan-monitoring.js';
import { plan, type Role, type ServiceSpec } from '../topology/plan.js';
import type { Topology } from '../topology/schema.js';
import type { ExportFiles } from './compose-export.js';
import {
  apiDeployment,
  labelsOf,
  PLACEHOLDERS,
  SECRET_ENV,
  SECRET_NAME,
  service,
  workload,
  type K8sContext,
  type K8sObject,
} from './kubernetes-objects.js';

export interface KubernetesExportOptions {
  images: Record<Role, string>;
  appVersion: string;
  /** Where the k6 script and the workloads are (load-scripts/). */
  loadScriptsDir: string;
  namespace?: string;
  /** The workload the TestRun runs, and over how many runners it is split. */
  workload?: string;
  parallelism?: number;
}

/** What a custom metric named for the HPA needs (prometheus-adapter): the API's p95 per pod. */
export const P95_METRIC = 'scalelab_http_p95_ms';

function autoscaler(t: Topology, ns: string, appVersion: string): K8sObject | null {
  const a = t.api.autoscale;
  if (!a.enabled) return null;
  const metric =
    a.metric === 'cpu'
      ? {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: a.targetCpuPercent } },
        }
      : {
          type: 'Pods',
          pods: { metric: { name: P95_METRIC }, target: { type: 'AverageValue', averageValue: String(a.targetP95Ms) } },
        };
  const rule = (windowSeconds: number) => ({
    stabilizationWindowSeconds: windowSeconds,
    policies: [{ type: 'Pods', value: 1, periodSeconds: a.periodSeconds }],
  });
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'api', namespace: ns, labels: labelsOf('api', 'api', appVersion) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: a.min,
      maxReplicas: a.max,
      metrics: [metric],
      behavior: { scaleUp: rule(a.scaleUpStabilizationSeconds), scaleDown: rule(a.scaleDownStabilizationSeconds) },
    },
  };
}

/** The stack's objects, in the order `kubectl apply -f` wants them (what is referenced first). */
export function stackObjects(t: Topology, o: KubernetesExportOptions): K8sObject[] {
  const ns = o.namespace ?? 'scalelab';
  const ctx: K8sContext = { namespace: ns, appVersion: o.appVersion, image: (s) => o.images[s.role] };
  const specs = plan(t, PLACEHOLDERS);
  const apis = specs.filter((s) => s.role === 'api');
  const others = specs.filter((s) => s.role !== 'api');
  const objects: K8sObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: { 'app.kubernetes.io/part-of': 'scalelab' } },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: SECRET_NAME, namespace: ns },
      type: 'Opaque',
      stringData: Object.fromEntries(Object.values(SECRET_ENV).map((k) => [k, randomBytes(16).toString('hex')])),
    },
  ];
  const prometheus = others.find((s) => s.role === 'prometheus');
  if (prometheus)
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'prometheus-files', namespace: ns },
      data: Object.fromEntries(Object.entries(PROMETHEUS_FILE_ENV).map(([file, key]) => [file, prometheus.env[key]])),
    });
  for (const v of new Set(others.flatMap((s) => (s.sharedVolumes ?? []).map((x) => x.name))))
    objects.push({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: v, namespace: ns },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '4Gi' } } },
    });
  if (apis.length) {
    // Headless: DNS answers with every ready pod, which HAProxy's server-template reads.
    objects.push(service('api', 'api', apis[0]!, ctx, true));
    objects.push(apiDeployment(apis[0]!, apis.length, ctx));
  }
  for (const s of others) {
    objects.push(service(s.name, s.name, s, ctx));
    for (const alias of s.aliases.filter((a) => a !== s.name)) objects.push(service(alias, s.name, s, ctx));
    const extra = extraFor(s, ns);
    objects.push(workload(extra.spec ?? s, ctx, extra));
  }
  const hpa = autoscaler(t, ns, o.appVersion);
  if (hpa) objects.push(hpa);
  return objects;
}

/** What a role needs on Kubernetes beyond its plan: the balancer's DNS, Prometheus's files. */
function extraFor(s: ServiceSpec, ns: string): { spec?: ServiceSpec; env?: Record<string, string>; config?: string } {
  // HAProxy applies no DNS search domains: the Service's full name, through the pod's nameservers.
  if (s.role === 'lb') return { env: { LB_DNS: 'resolv.conf', API_HOST: `api.${ns}.svc.cluster.local` } };
  if (s.role === 'prometheus') {
    // Its files come mounted from a ConfigMap where the image reads them, not in its environment.
    const env = Object.fromEntries(
      Object.entries(s.env).filter(([k]) => !Object.values(PROMETHEUS_FILE_ENV).includes(k)),
    );
    return { spec: { ...s, env }, config: `prometheus-files:${MONITORING_DIR}` };
  }
  return {};
}

/** The k6 operator's TestRun: the shipped workload script and workloads in a ConfigMap (mounted at
 *  /test by the operator), split over `parallelism` runners by k6's execution segments. */
export function loadObjects(o: KubernetesExportOptions): K8sObject[] {
  const ns = o.namespace ?? 'scalelab';
  const workloads = path.join(o.loadScriptsDir, 'workloads');
  const data: Record<string, string> = {
    'workload.js': readFileSync(path.join(o.loadScriptsDir, 'k6', 'workload.js'), 'utf8'),
  };
  for (const f of readdirSync(workloads).filter((f) => f.endsWith('.json')))
    data[f] = readFileSync(path.join(workloads, f), 'utf8');
  const name = o.workload ?? 'read-heavy';
  if (!(`${name}.json` in data)) throw new Error(`no workload ${name} in ${workloads}`);
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'scalelab-k6', namespace: ns }, data },
    {
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      metadata: { name: `scalelab-${name}`, namespace: ns },
      spec: {
        parallelism: o.parallelism ?? 3,
        script: { configMap: { name: 'scalelab-k6', file: 'workload.js' } },
        arguments: `--tag testid=scalelab-${name}`,
        runner: {
          env: [
            { name: 'WORKLOAD', value: `/test/${name}.json` },
            { name: 'BASE_URL', value: `http://lb.${ns}.svc.cluster.local` },
          ],
        },
      },
    },
  ];
}

const yamlOf = (objects: K8sObject[]) => objects.map((x) => stringify(x, { lineWidth: 0 })).join('---\n');

export function kubernetesFiles(t: Topology, o: KubernetesExportOptions): ExportFiles {
  const ns = o.namespace ?? 'scalelab';
  const stack = stackObjects(t, o);
  const hpa = stack.some((x) => x.kind === 'HorizontalPodAutoscaler');
  type PodOwner = { spec: { template: { spec: { containers: Array<{ image: string }> } } } };
  const images = [
    ...new Set(
      stack
        .filter((x) => x.kind === 'Deployment' || x.kind === 'StatefulSet')
        .flatMap((x) => (x as unknown as PodOwner).spec.template.spec.containers.map((c) => c.image)),
    ),
  ];
  return {
    'scalelab.yaml': `# ScaleLab ${o.appVersion}: the stack on Kubernetes. See README.md.\n${yamlOf(stack)}`,
    'k6-testrun.yaml': `# The ${o.workload ?? 'read-heavy'} workload under the k6 operator. See README.md.\n${yamlOf(loadObjects(o))}`,
    'README.md': [
      '# A ScaleLab stack, for Kubernetes',
      '',
      `Everything lives in the namespace \`${ns}\`. The images are ScaleLab's own, built on your Docker engine:`,
      '',
      ...images.map((i) => `    ${i}`),
      '',
      'Give the cluster the images first: `kind load docker-image IMAGE` or `minikube image load IMAGE`, or push',
      'them to a registry the nodes pull from (`docker tag IMAGE REGISTRY/IMAGE && docker push REGISTRY/IMAGE`,',
      'then put REGISTRY/ in front of each `image:` here). Then:',
      '',
      '    kubectl apply -f scalelab.yaml',
      `    kubectl -n ${ns} rollout status deployment/api`,
      `    kubectl -n ${ns} port-forward service/lb 8080:80     # then: curl http://127.0.0.1:8080/healthz`,
      '',
      'The API instances are one Deployment (`api`) behind a headless Service: HAProxy (`lb`) finds every',
      'ready pod through DNS, as it finds the containers on Docker. Each database node is a StatefulSet with',
      'a claim of its own; the secrets are in the Secret `scalelab-secrets`, made fresh at export.',
      ...(hpa
        ? [
            '',
            `A HorizontalPodAutoscaler follows ScaleLab's autoscaling settings (${t.api.autoscale.min} to ${t.api.autoscale.max} instances).`,
            t.api.autoscale.metric === 'cpu'
              ? 'It reads CPU from the metrics server (`kubectl top pods` must work).'
              : `It reads the pods' p95 as the custom metric \`${P95_METRIC}\`, which needs prometheus-adapter with a rule such as\n` +
                '`histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[1m])) by (le, pod)) * 1000`.',
          ]
        : []),
      '',
      'Load: install the k6 operator (https://github.com/grafana/k6-operator), then',
      '',
      '    kubectl apply -f k6-testrun.yaml',
      '',
      `The TestRun splits the workload over ${o.parallelism ?? 3} runners with k6's execution segments; change`,
      '`WORKLOAD` in it to run another of the workloads in the ConfigMap `scalelab-k6`.',
      '',
      'Checked by ScaleLab against the Kubernetes API schemas (kubernetes-models); a cluster has the last word.',
      '',
    ].join('\n'),
  };
}
