// The topology as a docker-compose project that runs without ScaleLab: the same services, images,
// environment, limits and loopback-only ports as plan() gives the engine, plus the build contexts
// (so a machine with only the base image can build the rest) and a .env with fresh secrets.
// Written for the Compose Specification (no `version:`), which docker-compose 1.27+ and v2 read.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { ROLE_FILES, baseImageTag } from '../runtime/images.js';
import { plan, type Role, type ServiceSpec } from '../topology/plan.js';
import type { Topology } from '../topology/schema.js';
import { PROMETHEUS_FILE_ENV } from '../topology/plan-monitoring.js';
import { MONITORING_DIR } from '../monitoring/prometheus-config.js';
import { BASE_VERSION } from '../../contract/topology.js';

/** Files by path relative to the export folder; text, or bytes for what is copied as is. */
export type ExportFiles = Record<string, string | Buffer>;

export interface ComposeExportOptions {
  /** The image each role runs (as the engine resolved or built them). */
  images: Record<Role, string>;
  stackDir: string;
  appVersion: string;
  /** Data set size the API seeds on first start (the engine's default when left out). */
  seed?: { products: number; orders: number };
}

/** How compose tells a service is healthy: the same checks as the engine's probes, from inside. */
function healthcheck(s: ServiceSpec): object | undefined {
  const every = { interval: '2s', timeout: '3s', retries: 60 };
  // Under HA a node is up when Patroni says its PostgreSQL runs; the router when it reaches a leader.
  if (s.role === 'db' && s.env.HA === '1')
    return { test: ['CMD', 'curl', '-fs', 'http://127.0.0.1:8008/health'], ...every };
  if (s.role === 'db' || s.role === 'dbrouter')
    return { test: ['CMD', 'pg_isready', '-h', '127.0.0.1', '-U', 'scalelab'], ...every };
  if (s.role === 'prometheus' || s.role === 'alertmanager' || s.role === 'redis-exporter') {
    const port = s.ports[0].container;
    const path = s.role === 'redis-exporter' ? '/health' : '/-/ready';
    return { test: ['CMD', 'curl', '-fs', `http://127.0.0.1:${port}${path}`], ...every };
  }
  if (s.role === 'etcd') return { test: ['CMD', 'curl', '-fs', 'http://127.0.0.1:2379/health'], ...every };
  if (s.role === 'cache')
    return { test: ['CMD-SHELL', 'REDISCLI_AUTH="$$REDIS_PASSWORD" redis-cli ping | grep -q PONG'], ...every };
  if (s.role === 'api')
    return {
      test: [
        'CMD',
        'node',
        '-e',
        "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))",
      ],
      ...every,
    };
  return undefined;
}

/** The ports compose publishes (on 127.0.0.1): the user-facing ones, Prometheus's and Alertmanager's. */
const PUBLISHED: string[] = ['entry', 'edge', 'tls', 'monitor', 'alerts'];

function environmentOf(s: ServiceSpec): Record<string, string> {
  // Prometheus's files are files here (monitoring/), not its environment: compose would read each
  // `$value` in the rules' annotations as a variable of its own.
  if (s.role === 'prometheus')
    return Object.fromEntries(Object.entries(s.env).filter(([k]) => !Object.values(PROMETHEUS_FILE_ENV).includes(k)));
  // A version other than v1 runs the API's image under its name (its regression is not exported).
  return s.version && s.version !== BASE_VERSION ? { ...s.env, SCALELAB_VERSION: s.version } : s.env;
}

/** monitoring/: Prometheus's configuration, targets and rules, as the stack's Prometheus had them. */
function monitoringFiles(specs: ServiceSpec[]): ExportFiles {
  const prometheus = specs.find((s) => s.role === 'prometheus');
  if (!prometheus) return {};
  return Object.fromEntries(
    Object.entries(PROMETHEUS_FILE_ENV).map(([file, key]) => [`monitoring/${file}`, prometheus.env[key]]),
  );
}

export function composeFiles(t: Topology, o: ComposeExportOptions): ExportFiles {
  // Secrets live in .env, not in the compose file: the file can be shared, .env stays put.
  const specs = plan(t, {
    adminToken: '${SCALELAB_ADMIN_TOKEN}',
    dbPassword: '${SCALELAB_DB_PASSWORD}',
    redisPassword: '${SCALELAB_REDIS_PASSWORD}',
    seed: o.seed,
  });
  const healthy = new Set(specs.filter((s) => healthcheck(s)).map((s) => s.name));
  const services: Record<string, object> = {};
  const volumes: Record<string, object> = {};
  for (const s of specs) {
    const published = s.ports
      .filter((p) => PUBLISHED.includes(p.purpose))
      .map((p) => (p.host ? `127.0.0.1:${p.host}:${p.container}` : `127.0.0.1::${p.container}`));
    if (s.volumePath) volumes[`${s.name}-data`] = {};
    services[s.name] = {
      image: o.images[s.role],
      build: { context: `./build/${s.role}`, args: { BASE: baseImageTag(o.stackDir) } },
      environment: environmentOf(s),
      ...(published.length ? { ports: published } : {}),
      networks: { lab: { aliases: s.aliases } },
      ...(s.dependsOn.length
        ? {
            depends_on: Object.fromEntries(
              s.dependsOn.map((d) => [d, { condition: healthy.has(d) ? 'service_healthy' : 'service_started' }]),
            ),
          }
        : {}),
      ...(s.volumePath ? { volumes: [`${s.name}-data:${s.volumePath}`] } : {}),
      // Prometheus reads its files from monitoring/ (edit them there; POST /-/reload or restart).
      ...(s.role === 'prometheus' ? { volumes: [`./monitoring:${MONITORING_DIR}`] } : {}),
      ...(s.resources ? { cpus: s.resources.cpus, mem_limit: `${s.resources.memoryMb}m` } : {}),
      ...(healthcheck(s) ? { healthcheck: healthcheck(s) } : {}),
      init: true,
      stop_grace_period: '10s',
      labels: { 'dev.scalelab.service': s.name, 'dev.scalelab.role': s.role, 'dev.scalelab.exported-by': o.appVersion },
    };
  }
  const compose = {
    name: undefined,
    services,
    networks: { lab: {} },
    ...(Object.keys(volumes).length ? { volumes } : {}),
  };
  delete (compose as { name?: string }).name;
  const entry = t.ports.entry ? `http://127.0.0.1:${t.ports.entry}` : 'the port `docker-compose port lb 80` prints';
  // YAML 1.1, as docker-compose reads it: a value such as "no" quoted, not taken for a boolean.
  const files: ExportFiles = {
    'docker-compose.yml': `# ScaleLab ${o.appVersion}: the stack as compose. See README.md.\n${stringify(compose, { lineWidth: 0, version: '1.1' })}`,
    '.env': `# Secrets of this stack, made fresh at export. Keep this file beside docker-compose.yml.\nSCALELAB_ADMIN_TOKEN=${randomBytes(16).toString('hex')}\nSCALELAB_DB_PASSWORD=${randomBytes(16).toString('hex')}\nSCALELAB_REDIS_PASSWORD=${randomBytes(16).toString('hex')}\n`,
    'README.md': [
      '# A ScaleLab stack, exported',
      '',
      `Services: ${specs.map((s) => s.name).join(', ')}.`,
      '',
      '    docker-compose up -d        # or: docker compose up -d',
      `    curl ${entry}/healthz`,
      '    docker-compose down -v      # removes the containers and the database volumes',
      '',
      `The images are ${[...new Set(specs.map((s) => o.images[s.role]))].join(', ')}. Where they are missing,`,
      `compose builds them from build/ on top of ${baseImageTag(o.stackDir)}, which ScaleLab builds offline`,
      '(`npm run images:base:offline` in a ScaleLab checkout).',
      '',
      'Ports are published on 127.0.0.1 only. The secrets are in .env.',
      '',
      ...autoscaleNote(t),
      ...(t.monitoring.enabled
        ? [
            'Prometheus (`docker-compose port prometheus 9090`) scrapes every part and evaluates',
            'monitoring/alert-rules.yml; Alertmanager (`docker-compose port alertmanager 9093`) holds what fires.',
            'Check an edited rules file with `docker-compose exec prometheus promtool check rules',
            `${MONITORING_DIR}/alert-rules.yml\`, then \`curl -X POST http://127.0.0.1:PORT/-/reload\`.`,
            '',
          ]
        : []),
      ...(t.api.version !== BASE_VERSION
        ? [
            `The API instances ran version ${t.api.version}: here they run the API's image under that name`,
            '(SCALELAB_VERSION); a regression its image carried (added latency, an error rate) is not exported.',
            '',
          ]
        : []),
    ].join('\n'),
  };
  Object.assign(files, monitoringFiles(specs));
  for (const role of new Set(specs.map((s) => s.role))) {
    for (const f of ROLE_FILES[role]) files[`build/${role}/${f}`] = readFileSync(path.join(o.stackDir, role, f));
  }
  return files;
}

/** Compose has no autoscaler: say what ScaleLab did, and what the export runs instead. */
function autoscaleNote(t: Topology): string[] {
  const a = t.api.autoscale;
  if (!a.enabled) return [];
  const target = a.metric === 'cpu' ? `CPU at ${a.targetCpuPercent}% of the limit` : `a p95 of ${a.targetP95Ms} ms`;
  return [
    `In ScaleLab this stack autoscaled its API instances (${a.min} to ${a.max}, aiming at ${target}, by the`,
    `Kubernetes HPA rule). Compose has no autoscaler: this export runs the ${t.api.instances} instance(s) running at`,
    'export time; add or remove api-N services to change that.',
    '',
  ];
}
