// THE typed API of ScaleLab. Every host (CLI, Electron IPC, WebSocket bridge) serves this one
// interface; rpc/ flattens it to method names ("stack.up") listed in LAB_METHODS.
import type {
  ApiVersionInfo,
  ApplyResult,
  BackupInfo,
  RestoreResult,
  DrillKind,
  DrillResult,
  FaultKind,
  NodeAvailability,
  NodeChange,
  QueryPlan,
  ReplicaLag,
  StackProgress,
  StackStatus,
} from './stack.js';
import type { DeployRequest, DeployResult } from './deploy.js';
import type { PresetInfo, Topology, TopologyChange, TopologyInput } from './topology.js';
import type { EngineKind, KeyDistribution, Workload } from './load.js';
import type { RunComparison, RunData, RunEvent, RunRecord, TimelinePoint } from './runs.js';
import type { ExportedFile, ReportFormat, StackExportKind } from './reports.js';
import type { CourseProgress, CourseRecord, CourseState } from './course.js';
import type { EngineSettings, EngineSettingsChange } from './settings.js';
import type { ActiveAlertInfo, AlertRulesInfo, QueryAnswer, RulesCheck, ScrapeTarget } from './monitoring.js';
import type { CurveReportFormat, CurveRequest, CurveResult, SweepRequest, SweepResult } from './capacity.js';
import type { Prediction } from './prediction.js';

/** A topology: a preset, or what runs (apply, preview) or the defaults (up); then `topology`'s
 *  sections over it; then `set`, single fields by path ({ "api.instances": 5 }). */
export interface TopologyRequest {
  preset?: string;
  topology?: TopologyInput;
  set?: Record<string, string | number | boolean>;
}

export interface StackApi {
  presets(): Promise<PresetInfo[]>;
  status(): Promise<StackStatus>;
  /** Validates and fills defaults; throws naming each bad field. */
  validate(req: TopologyRequest): Promise<Topology>;
  /** What apply() would change, without changing anything. */
  preview(req: TopologyRequest): Promise<TopologyChange[]>;
  up(req: TopologyRequest): Promise<StackStatus>;
  /** Merges the request over the running topology, applies it, and says what changed. */
  apply(req: TopologyRequest): Promise<ApplyResult>;
  down(): Promise<void>;
  /** Builds the images a topology needs (progress as 'stack.progress' events); the image of each role. */
  images(req: TopologyRequest): Promise<Record<string, string>>;
  /** Removes what crashed sessions left: this stack, or every stack on the engine, where nothing runs. */
  reap(req: { allStacks: boolean }): Promise<string[]>;
  fault(req: { service: string; kind: FaultKind }): Promise<void>;
  /** Swarm target: drains a node (its tasks move to the others) or makes it active again; a
   *  marker on the run's charts. Refused on the local engine, and where draining would leave the
   *  stack or its database nowhere to run. */
  node(req: { hostname: string; availability: NodeAvailability }): Promise<NodeChange>;
  logs(req: { service: string; tail?: number }): Promise<string>;
  replication(): Promise<ReplicaLag[]>;
  /** EXPLAIN ANALYZE of the expensive read (top products of a category, 1 by default) on the primary. */
  explain(req?: { category?: number }): Promise<QueryPlan>;
  /** database.ha: kills the leader (failover) or hands it over (switchover) under the drill's own
   *  writes, and measures the write outage and the acknowledged writes lost (progress as 'stack.progress'). */
  drill(req: { kind: DrillKind }): Promise<DrillResult>;
  /** database.backups: the backups in pgBackRest's repository, oldest first. */
  backups(): Promise<BackupInfo[]>;
  /** A full backup now (pgBackRest); returns it. */
  backup(): Promise<BackupInfo>;
  /** The restore drill: orders written, a point noted, more written, the orders table dropped, the
   *  primary restored to the point (pgBackRest, point-in-time); what came back and the outage. */
  restoreDrill(): Promise<RestoreResult>;
  /** The API versions built on this engine (v1, the API as built, is always there). */
  versions(): Promise<ApiVersionInfo[]>;
  /** Builds an API version FROM the API as built, with an optional regression (progress as 'stack.progress'). */
  buildVersion(req: { name: string; latencyMs?: number; errorRate?: number }): Promise<ApiVersionInfo>;
  /** Another API version: rolling, blue-green or canary (which rolls back by itself when the new
   *  version does worse); each step a 'deploy' run event and a 'stack.progress' line. */
  deploy(req: DeployRequest): Promise<DeployResult>;
  /** edgeCache: the edge forgets one path, or (no path) everything it keeps; how many entries went. */
  purge(req: { path?: string }): Promise<{ path: string | null; entries: number }>;
}

export interface StartLoadRequest {
  /** A shipped workload's name, or a whole workload. */
  workload: string | Workload;
  /** The room's prediction of one figure, kept with the run and shown against the measurement. */
  prediction?: Prediction;
  engine?: EngineKind;
  /** Overrides the workload's profile with this constant arrival rate. */
  rate?: number;
  /** Caps the run's length. */
  durationSeconds?: number;
  /** Overrides how the workload picks its keys: uniform, or Zipf (the 80/20 rule's shape). */
  keys?: KeyDistribution;
  /** A user's own k6 script to run instead of the workload's requests (k6 only). */
  script?: string;
  /** k6 only: split the test over this many k6 processes by execution segments (default 1). */
  generators?: number;
}

export interface LoadApi {
  workloads(): Promise<Workload[]>;
  /** Which engines can run here; k6 only where it was found. */
  engines(): Promise<Array<{ kind: EngineKind; available: boolean; detail: string }>>;
  /** Starts a run and returns at once with its record; points arrive as 'run.point' events. */
  start(req: StartLoadRequest): Promise<RunRecord>;
  setRate(req: { rate: number | null }): Promise<void>;
  stop(): Promise<RunRecord | null>;
  current(): Promise<RunRecord | null>;
}

export interface RunsApi {
  list(): Promise<RunRecord[]>;
  open(req: { id: string }): Promise<RunData>;
  delete(req: { id: string }): Promise<void>;
  compare(req: { a: string; b: string }): Promise<RunComparison>;
}

export interface ReportsApi {
  /** A report of a run, or of two compared (`compare` is the second): refuses a run still going or damaged. */
  build(req: { run: string; format: ReportFormat; compare?: string }): Promise<ExportedFile>;
  /** The topology as files that run without ScaleLab, zipped: compose, or Prometheus + Grafana. */
  exportStack(req: { kind: StackExportKind } & TopologyRequest): Promise<ExportedFile>;
  /** A chapter of the course as a printable handout (HTML or PDF), through the report renderer. */
  handout(req: { chapter: string; format: 'html' | 'pdf' }): Promise<ExportedFile>;
  /** A scaling curve's capacity report: the curves, the fit, each knee and its measurement's
   *  verdict ("last" for the newest curve). */
  curve(req: { curve: string; format: CurveReportFormat }): Promise<ExportedFile>;
}

export interface CourseApi {
  /** The chapters and the learner's progress (kept in the data folder). */
  get(): Promise<CourseState>;
  /** Records a prediction, a passed check or the lesson open (or forgets everything); the progress after it. */
  record(req: CourseRecord): Promise<CourseProgress>;
}

export interface SettingsApi {
  /** The engine's settings (data folder, k6 binary) and where each came from. */
  get(): Promise<EngineSettings>;
  /** Checks, then saves: a folder that cannot be written or a k6 that does not run changes nothing. */
  set(req: EngineSettingsChange): Promise<EngineSettings>;
}

/** topology.monitoring: the stack's Prometheus and Alertmanager (refused, saying how to switch
 *  them on, when monitoring is off). */
export interface MonitoringApi {
  /** The alerts active now, as Alertmanager holds them. */
  alerts(): Promise<ActiveAlertInfo[]>;
  /** Prometheus's scrape targets and how each last scrape went. */
  targets(): Promise<ScrapeTarget[]>;
  /** The rules file Prometheus evaluates, and whether it is the user's own. */
  rules(): Promise<AlertRulesInfo>;
  /** `promtool check rules` on a rules file, changing nothing. */
  checkRules(req: { yaml: string }): Promise<RulesCheck>;
  /** A rules file of the user's own (checked first: a refused one changes nothing), or null to go
   *  back to the rules made from the thresholds. */
  setRules(req: { yaml: string | null }): Promise<ApplyResult>;
  /** An instant PromQL query on the stack's Prometheus. */
  query(req: { expr: string }): Promise<QueryAnswer>;
}

export interface LabApi {
  stack: StackApi;
  load: LoadApi;
  runs: RunsApi;
  reports: ReportsApi;
  course: CourseApi;
  settings: SettingsApi;
  monitoring: MonitoringApi;
  capacity: CapacityApi;
}

export interface CapacityApi {
  /** A capacity sweep on the running stack: the arrival rate raised step by step until the
   *  objective or the error budget breaks or the generator falls behind (progress as
   *  'stack.progress' events); the knee, every step, and the run that holds them. */
  sweep(req: SweepRequest): Promise<SweepResult>;
  /** The sweep at each value of one topology field (applied between sweeps), the knees fitted to
   *  the Universal Scalability Law and Amdahl's law, and the instances a target load needs. */
  curve(req: CurveRequest): Promise<CurveResult>;
  /** The curves measured so far, newest first (saved as they go, so a curve cut short is here too). */
  curves(): Promise<CurveResult[]>;
}

export interface LabEvents {
  'stack.progress': StackProgress;
  /** The stack's status, pushed when it changes (containers started, stopped, paused, healthy...). */
  'stack.status': StackStatus;
  'run.point': TimelinePoint;
  'run.event': RunEvent;
  'run.end': RunRecord;
}

export const LAB_METHODS = [
  'stack.presets',
  'stack.status',
  'stack.validate',
  'stack.preview',
  'stack.up',
  'stack.apply',
  'stack.down',
  'stack.fault',
  'stack.node',
  'stack.drill',
  'stack.backups',
  'stack.backup',
  'stack.restoreDrill',
  'stack.versions',
  'stack.buildVersion',
  'stack.deploy',
  'stack.purge',
  'stack.images',
  'stack.reap',
  'stack.logs',
  'stack.replication',
  'stack.explain',
  'load.workloads',
  'load.engines',
  'load.start',
  'load.setRate',
  'load.stop',
  'load.current',
  'runs.list',
  'runs.open',
  'runs.delete',
  'runs.compare',
  'reports.build',
  'reports.exportStack',
  'reports.handout',
  'reports.curve',
  'course.get',
  'course.record',
  'settings.get',
  'settings.set',
  'monitoring.alerts',
  'monitoring.targets',
  'monitoring.rules',
  'monitoring.checkRules',
  'monitoring.setRules',
  'monitoring.query',
  'capacity.sweep',
  'capacity.curve',
  'capacity.curves',
] as const;
export type LabMethod = (typeof LAB_METHODS)[number];
