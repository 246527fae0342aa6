// Prometheus in a running stack: its files rewritten and reloaded (POST /-/reload, which
// --web.enable-lifecycle allows), and rules checked with promtool, all inside its container.
import type Docker from 'dockerode';
import { MONITORING_DIR } from '../monitoring/prometheus-config.js';
import { execIn } from './docker-client.js';
import type { RulesCheck } from '../../contract/monitoring.js';
import { LabError } from './errors.js';

/** Writes each file whole (a temporary file moved over the old: file_sd never reads half a file),
 *  then reloads; a configuration Prometheus refuses is an error naming its complaint. */
export async function writePrometheusFiles(
  docker: Docker,
  containerId: string,
  files: Record<string, string>,
): Promise<void> {
  const container = docker.getContainer(containerId);
  // A rules file Prometheus would refuse is refused here, before anything is written.
  const rules = files['alert-rules.yml'];
  if (rules !== undefined) {
    const check = await checkRules(docker, containerId, rules);
    if (!check.ok)
      throw new LabError(
        `promtool refused the alert rules: ${check.output}`,
        'BAD_INPUT',
        'Fix the rules file (`promtool check rules FILE` says where), or go back to the rules made from the thresholds.',
      );
  }
  const names = Object.keys(files);
  const script = names
    .map(
      (f, i) =>
        `printf '%s' "$F${i}" > "${MONITORING_DIR}/.${f}.new" && mv "${MONITORING_DIR}/.${f}.new" "${MONITORING_DIR}/${f}"`,
    )
    .join(' && ');
  const env = names.map((f, i) => `F${i}=${files[f]}`);
  const written = await execIn(docker, container, ['sh', '-c', script], 10_000, env);
  if (written.exitCode !== 0)
    throw new LabError(`Could not write Prometheus's files: ${written.output.trim()}`, 'EXEC_FAILED');
  const reload = await execIn(docker, container, ['curl', '-fsS', '-X', 'POST', 'http://127.0.0.1:9090/-/reload']);
  if (reload.exitCode !== 0)
    throw new LabError(
      `Prometheus refused its new configuration: ${reload.output.trim()}`,
      'EXEC_FAILED',
      'See why with `scalelab logs prometheus`.',
    );
}

/** `promtool check rules` on a rules file's text, in the Prometheus container (the host has no promtool). */
export async function checkRules(docker: Docker, containerId: string, rules: string): Promise<RulesCheck> {
  const r = await execIn(
    docker,
    docker.getContainer(containerId),
    [
      'sh',
      '-c',
      'f=$(mktemp --suffix=.yml) && printf "%s" "$RULES" > "$f" && promtool check rules "$f"; s=$?; rm -f "$f"; exit $s',
    ],
    15_000,
    [`RULES=${rules}`],
  );
  // promtool names the temporary file it was given: the user knows it as their rules file.
  return { ok: r.exitCode === 0, output: r.output.replace(/\/tmp\/tmp\.\w+\.yml/g, 'rules file').trim() };
}
