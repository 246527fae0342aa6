// The certificate the balancer made for its HTTPS (loadBalancer.tls, lb-entrypoint.sh), read back
// from its container: the one certificate a client of this stack trusts.
import type Docker from 'dockerode';
import { execIn } from './docker-client.js';
import { LabError } from './errors.js';

export async function readLbCertificate(docker: Docker, containerId: string, stack: string): Promise<string> {
  const res = await execIn(docker, docker.getContainer(containerId), ['cat', '/run/haproxy/site.crt']);
  if (res.exitCode !== 0 || !res.output.includes('BEGIN CERTIFICATE'))
    throw new LabError(
      `The load balancer of stack "${stack}" has no certificate: it does not answer HTTPS.`,
      'BAD_INPUT',
      'Switch it on: `scalelab apply --set loadBalancer.tls=true`.',
    );
  return res.output.slice(res.output.indexOf('-----BEGIN'));
}
