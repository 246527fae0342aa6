// npm run bench:traffic: compute and traffic on this machine, part by part, each on a stack of its
// own (bench/traffic/): 1. vertical scaling (api.cpus 0.25 to 2, CPU-bound work, against the same
// hash computed in this process); 2. the autoscaler's reaction to the spike workload (against a
// scale-up applied by hand with no load); 3. what TLS costs a request (against curl's own
// handshake time); 4. each deploy strategy's duration and failed requests (against one instance
// rolled with no load). BENCH_SECONDS (5) per vertical setting and TLS way; BENCH_PARTS (default
// "vertical,autoscale,tls,deploy") picks parts. Traffic only to the stacks on 127.0.0.1; every loop
// is bounded in count and time.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareApiBundle, resolveConfig } from '../app/core/config.js';
import { DockerRuntime } from '../app/core/runtime/docker-runtime.js';
import { autoscaleReaction } from './traffic/autoscale.js';
import { tlsCost } from './traffic/tls.js';
import { deployCost } from './traffic/deploy.js';
import { verticalScaling } from './traffic/vertical.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PARTS = (process.env.BENCH_PARTS ?? 'vertical,autoscale,tls,deploy').split(',');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'scalelab-bench-traffic-'));
const config = resolveConfig({ dataDir });
const runtime = new DockerRuntime({ ...config, prepareApiBundle: () => prepareApiBundle(config.stackDir) });

console.log(`bench:traffic on ${os.availableParallelism()} cores (parts: ${PARTS.join(', ')})`);
if (PARTS.includes('vertical')) await verticalScaling(runtime, SECONDS);
if (PARTS.includes('autoscale')) await autoscaleReaction(dataDir);
if (PARTS.includes('tls')) await tlsCost(dataDir, SECONDS);
if (PARTS.includes('deploy')) await deployCost(dataDir);
