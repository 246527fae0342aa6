// The parameters each method takes, checked at the boundary before the Lab sees them. Topologies
// and workloads are checked in depth by the Lab itself (their own zod schemas, errors naming the field).
import { z } from 'zod';
import type { LabMethod } from '../contract/lab-api.js';
import { DRILL_KINDS, FAULT_KINDS, NODE_AVAILABILITIES } from '../contract/stack.js';
import { DEPLOY_STRATEGIES } from '../contract/deploy.js';
import { REPORT_FORMATS, STACK_EXPORT_KINDS } from '../contract/reports.js';
import { MAX_RULES_LENGTH } from '../contract/monitoring.js';
import { KEY_DISTRIBUTIONS, MAX_GENERATORS } from '../contract/load.js';
import { CHOICES, COMPARED_FIGURES, PREDICTED_METRICS } from '../contract/prediction.js';
import { CURVE_FIELDS, CURVE_REPORT_FORMATS } from '../contract/capacity.js';

const topologyRequest = z.strictObject({
  preset: z.string().max(64).optional(),
  topology: z.record(z.string(), z.unknown()).optional(),
  set: z.record(z.string().max(64), z.union([z.string().max(256), z.number(), z.boolean()])).optional(),
});
const sweepFields = {
  workload: z.string().regex(/^[A-Za-z0-9][\w-]{0,63}$/, 'a shipped workload name'),
  objective: z.string().min(1).max(64),
  maxErrors: z.number().min(0).max(1).optional(),
  from: z.number().min(1).max(100_000).optional(),
  factor: z.number().min(1.05).max(10).optional(),
  stepSeconds: z.number().int().min(4).max(600).optional(),
  refine: z.number().int().min(0).max(6).optional(),
  maxSteps: z.number().int().min(2).max(40).optional(),
  /** The room's prediction of the knee. */
  prediction: z.strictObject({ metric: z.literal('knee'), value: z.number().min(0).max(1e9) }).optional(),
};

const none = z.union([z.undefined(), z.strictObject({})]);
const id = z.string().min(1).max(128);

export const PARAMS: Record<LabMethod, z.ZodType> = {
  'stack.presets': none,
  'stack.status': none,
  'stack.down': none,
  'stack.replication': none,
  'stack.backups': none,
  'stack.backup': none,
  'stack.restoreDrill': none,
  'stack.versions': none,
  // The name is checked again by the engine (its own message); here the shape and bounds.
  'stack.buildVersion': z.strictObject({
    name: z.string().min(1).max(24),
    latencyMs: z.number().int().min(0).max(5000).optional(),
    errorRate: z.number().min(0).max(1).optional(),
  }),
  // Bounds and the steps' order are checked again by the engine, with its own messages.
  'stack.deploy': z.strictObject({
    version: z.string().min(1).max(24),
    strategy: z.enum(DEPLOY_STRATEGIES).optional(),
    steps: z.array(z.number().int().min(1).max(100)).min(1).max(20).optional(),
    stepSeconds: z.number().int().min(2).max(600).optional(),
    maxP95Ratio: z.number().min(1).max(100).optional(),
    minP95IncreaseMs: z.number().min(0).max(10_000).optional(),
    maxErrorRateIncrease: z.number().min(0).max(1).optional(),
  }),
  'monitoring.alerts': none,
  'monitoring.targets': none,
  'monitoring.rules': none,
  'monitoring.checkRules': z.strictObject({ yaml: z.string().min(1).max(MAX_RULES_LENGTH) }),
  'monitoring.setRules': z.strictObject({ yaml: z.string().min(1).max(MAX_RULES_LENGTH).nullable() }),
  'monitoring.query': z.strictObject({ expr: z.string().min(1).max(2000) }),
  'capacity.sweep': z.strictObject(sweepFields),
  'capacity.curves': none,
  'capacity.curve': z.strictObject({
    ...sweepFields,
    across: z.strictObject({
      field: z.enum(CURVE_FIELDS),
      values: z.array(z.number().min(0).max(64)).min(2).max(12),
    }),
    target: z.number().min(1).max(1_000_000).optional(),
    headroom: z.number().min(0).max(0.95).optional(),
  }),
  'stack.purge': z.strictObject({ path: z.string().min(1).max(256).optional() }),
  'stack.explain': z.union([
    z.undefined(),
    z.strictObject({ category: z.number().int().min(1).max(1_000).optional() }),
  ]),
  'stack.validate': topologyRequest,
  'stack.preview': topologyRequest,
  'stack.up': topologyRequest,
  'stack.apply': topologyRequest,
  'stack.images': topologyRequest,
  'stack.reap': z.strictObject({ allStacks: z.boolean() }),
  'stack.fault': z.strictObject({
    service: z.string().min(1).max(64),
    kind: z.enum(FAULT_KINDS as unknown as [string, ...string[]]),
  }),
  'stack.drill': z.strictObject({ kind: z.enum(DRILL_KINDS) }),
  // A Swarm node's hostname (RFC 1123 labels, dots allowed).
  'stack.node': z.strictObject({
    hostname: z
      .string()
      .min(1)
      .max(253)
      .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, 'a node hostname'),
    availability: z.enum(NODE_AVAILABILITIES),
  }),
  'stack.logs': z.strictObject({
    service: z.string().min(1).max(64),
    tail: z.number().int().min(1).max(10_000).optional(),
  }),
  'load.workloads': none,
  'load.engines': none,
  'load.stop': none,
  'load.current': none,
  'load.start': z.strictObject({
    // Over a transport a workload is a shipped name or a whole workload, never a path to a file.
    workload: z.union([
      z.string().regex(/^[A-Za-z0-9][\w-]{0,63}$/, 'a shipped workload name (a file path is for the command line)'),
      z.record(z.string(), z.unknown()),
    ]),
    engine: z.enum(['builtin', 'k6']).optional(),
    rate: z.number().min(0).max(100_000).optional(),
    durationSeconds: z.number().int().min(1).max(86_400).optional(),
    keys: z.enum(KEY_DISTRIBUTIONS).optional(),
    generators: z.number().int().min(1).max(MAX_GENERATORS).optional(),
    prediction: z
      .union([
        z.strictObject({ metric: z.enum(PREDICTED_METRICS), value: z.number().min(0).max(1e9) }),
        z.strictObject({ versus: z.enum(COMPARED_FIGURES), choice: z.enum(CHOICES), against: id }),
      ])
      .optional(),
  }),
  'load.setRate': z.strictObject({ rate: z.number().min(0).max(100_000).nullable() }),
  'runs.list': none,
  'runs.open': z.strictObject({ id }),
  'runs.delete': z.strictObject({ id }),
  'runs.compare': z.strictObject({ a: id, b: id }),
  'reports.build': z.strictObject({
    run: id,
    format: z.enum(REPORT_FORMATS as unknown as [string, ...string[]]),
    compare: id.optional(),
  }),
  'reports.exportStack': topologyRequest.extend({
    kind: z.enum(STACK_EXPORT_KINDS as unknown as [string, ...string[]]),
  }),
  'reports.handout': z.strictObject({ chapter: id, format: z.enum(['html', 'pdf']) }),
  'reports.curve': z.strictObject({ curve: id, format: z.enum(CURVE_REPORT_FORMATS) }),
  'course.get': none,
  'settings.get': none,
  'settings.set': z.strictObject({
    dataDir: z.string().min(1).max(4096).nullable().optional(),
    k6Path: z.string().min(1).max(4096).nullable().optional(),
  }),
  'course.record': z.union([
    z.strictObject({ lesson: id, predicted: z.number().int().min(0).max(9) }),
    z.strictObject({
      lesson: id,
      passedAt: z.number().int().min(0),
      observed: z
        .record(z.string().max(128), z.number().nullable())
        .refine((o) => Object.keys(o).length <= 32, 'at most 32 observed figures'),
    }),
    z.strictObject({ current: id }),
    z.strictObject({ reset: z.literal(true) }),
  ]),
};
