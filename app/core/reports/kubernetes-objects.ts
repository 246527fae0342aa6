// The stack's services as Kubernetes objects, from the same plan() the engine runs: the API
// instances as one Deployment behind a headless Service (HAProxy finds its pods through DNS, as it
// finds containers on Docker), each other service a StatefulSet when it keeps data (the database
// nodes, each with its claim) or a Deployment, a Service per name it answers to, the secrets
// referenced from a Secret. Pure: no I/O.
import type { PortSpec, ServiceSpec } from '../topology/service-spec.js';

export type K8sObject = Record<string, unknown> & { apiVersion: string; kind: string };

export interface K8sContext {
  namespace: string;
  /** The image each service runs. */
  image: (s: ServiceSpec) => string;
  appVersion: string;
}

/** The Secret's keys, and the environment variables each container defines from them first, so
 *  plan()'s `$(VAR)` placeholders expand (Kubernetes expands a variable defined earlier in a list). */
export const SECRET_NAME = 'scalelab-secrets';
export const SECRET_ENV = {
  SCALELAB_ADMIN_TOKEN: 'admin-token',
  SCALELAB_DB_PASSWORD: 'db-password',
  SCALELAB_REDIS_PASSWORD: 'redis-password',
} as const;
export const PLACEHOLDERS = {
  adminToken: '$(SCALELAB_ADMIN_TOKEN)',
  dbPassword: '$(SCALELAB_DB_PASSWORD)',
  redisPassword: '$(SCALELAB_REDIS_PASSWORD)',
};

export const labelsOf = (name: string, role: string, appVersion: string) => ({
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/part-of': 'scalelab',
  'app.kubernetes.io/component': role,
  'app.kubernetes.io/version': appVersion.replace(/[^A-Za-z0-9._-]/g, '-'),
});
const selectorOf = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'scalelab' });

function envOf(s: ServiceSpec, extra: Record<string, string>): object[] {
  const secrets = Object.entries(SECRET_ENV).map(([name, key]) => ({
    name,
    valueFrom: { secretKeyRef: { name: SECRET_NAME, key } },
  }));
  const own = Object.entries({ ...s.env, ...extra }).map(([name, value]) =>
    // Each API pod is an instance of its own, named as the pod (ScaleLab names them api-1, api-2...).
    s.role === 'api' && name === 'INSTANCE_NAME'
      ? { name, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }
      : { name, value },
  );
  return [...secrets, ...own];
}

const portNumber = (s: ServiceSpec, purpose: PortSpec['purpose']) =>
  s.ports.find((p) => p.purpose === purpose)?.container ?? s.ports[0]!.container;

/** The engine's health probe of the service, from inside the pod. */
function readiness(s: ServiceSpec): object {
  const every = { periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 3 };
  const p = s.probe;
  if (p.kind === 'http') return { httpGet: { path: p.path, port: portNumber(s, p.purpose) }, ...every };
  if (p.kind === 'redis')
    return {
      exec: { command: ['sh', '-c', 'REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli ping | grep -q PONG'] },
      ...every,
    };
  return { exec: { command: ['pg_isready', '-h', '127.0.0.1', '-U', 'scalelab'] }, ...every };
}

function container(s: ServiceSpec, ctx: K8sContext, extraEnv: Record<string, string>, mounts: object[]): object {
  const limits = s.resources ? { cpu: String(s.resources.cpus), memory: `${s.resources.memoryMb}Mi` } : undefined;
  return {
    name: s.role,
    image: ctx.image(s),
    imagePullPolicy: 'IfNotPresent',
    env: envOf(s, extraEnv),
    ports: s.ports.map((p) => ({ name: p.purpose, containerPort: p.container })),
    readinessProbe: readiness(s),
    // Requests equal to limits: the HPA's CPU utilization is against the request, and ScaleLab's
    // autoscaler aims at a share of the limit.
    ...(limits ? { resources: { requests: limits, limits } } : {}),
    ...(mounts.length ? { volumeMounts: mounts } : {}),
  };
}

export function service(name: string, selectorName: string, s: ServiceSpec, ctx: K8sContext, headless = false) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ctx.namespace, labels: labelsOf(name, s.role, ctx.appVersion) },
    spec: {
      ...(headless ? { clusterIP: 'None', publishNotReadyAddresses: false } : {}),
      selector: selectorOf(selectorName),
      ports: s.ports.map((p) => ({ name: p.purpose, port: p.container, targetPort: p.container })),
    },
  } satisfies K8sObject;
}

/** The API instances: one Deployment of `replicas` pods. */
export function apiDeployment(s: ServiceSpec, replicas: number, ctx: K8sContext): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: ctx.namespace, labels: labelsOf('api', 'api', ctx.appVersion) },
    spec: {
      replicas,
      selector: { matchLabels: selectorOf('api') },
      // ScaleLab's rolling deploy: one new instance up and healthy before an old one goes.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: labelsOf('api', 'api', ctx.appVersion) },
        spec: { containers: [container(s, ctx, {}, [])], terminationGracePeriodSeconds: 10 },
      },
    },
  };
}

/** Any other service: a StatefulSet with a claim for what it keeps, else a Deployment. */
export function workload(s: ServiceSpec, ctx: K8sContext, extra: { env?: Record<string, string>; config?: string }) {
  const mounts: object[] = [];
  const volumes: object[] = [];
  // A folder in the claim: a fresh volume's root may hold lost+found, and initdb wants it empty.
  if (s.volumePath) mounts.push({ name: 'data', mountPath: s.volumePath, subPath: 'data' });
  for (const v of s.sharedVolumes ?? []) {
    mounts.push({ name: v.name, mountPath: v.path });
    volumes.push({ name: v.name, persistentVolumeClaim: { claimName: v.name } });
  }
  if (extra.config) {
    mounts.push({ name: 'files', mountPath: extra.config.split(':')[1] });
    volumes.push({ name: 'files', configMap: { name: extra.config.split(':')[0] } });
  }
  const pod = {
    metadata: { labels: labelsOf(s.name, s.role, ctx.appVersion) },
    spec: {
      containers: [container(s, ctx, extra.env ?? {}, mounts)],
      terminationGracePeriodSeconds: 10,
      ...(volumes.length ? { volumes } : {}),
    },
  };
  const meta = { name: s.name, namespace: ctx.namespace, labels: labelsOf(s.name, s.role, ctx.appVersion) };
  if (s.volumePath)
    return {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta,
      spec: {
        serviceName: s.name,
        replicas: 1,
        selector: { matchLabels: selectorOf(s.name) },
        template: pod,
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } },
          },
        ],
      },
    } satisfies K8sObject;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta,
    spec: { replicas: 1, selector: { matchLabels: selectorOf(s.name) }, template: pod },
  } satisfies K8sObject;
}
