// The names of a stack's services, in one place: plan() gives containers these names, the runtime
// finds them by them, the collectors and the console read figures by them.

export const SERVICE = {
  primary: 'db-primary',
  cache: 'cache',
  lb: 'lb',
  cdn: 'cdn',
} as const;

export const apiName = (i: number) => `api-${i}`;
export const replicaName = (i: number) => `db-replica-${i}`;

export const isApiName = (name: string) => /^api-\d+$/.test(name);
export const isReplicaName = (name: string) => /^db-replica-\d+$/.test(name);

/** The order services are listed in: from the client inward. */
export function serviceRank(name: string): number {
  if (name === SERVICE.cdn) return 0;
  if (name === SERVICE.lb) return 1;
  if (isApiName(name)) return 2;
  if (name === SERVICE.cache) return 3;
  if (name === SERVICE.primary) return 4;
  if (isReplicaName(name)) return 5;
  return 6;
}
