// Charts redraw one per animation frame, not all at once: twelve Recharts charts redrawn in
// one task took 84 ms (npm run bench:console), a dozen frames dropped per point. Each chart
// queues its newest data; a chart already queued just takes the newer data (latest wins).
type Job = () => void;

const queue = new Map<object, Job>();
let scheduled = false;

const nextFrame = (fn: () => void) =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(fn) : setTimeout(fn, 16);

function drain(): void {
  const first = queue.entries().next();
  if (first.done) {
    scheduled = false;
    return;
  }
  const [owner, job] = first.value;
  queue.delete(owner);
  job();
  nextFrame(drain);
}

/** Runs `job` in a frame of its own, replacing what `owner` had queued. */
export function scheduleChart(owner: object, job: Job): void {
  queue.set(owner, job);
  if (!scheduled) {
    scheduled = true;
    nextFrame(drain);
  }
}

export function cancelChart(owner: object): void {
  queue.delete(owner);
}
