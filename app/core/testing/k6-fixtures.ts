// Real k6 output recorded with k6 v1.3.0 (see k6-fixtures/README.md), which the k6 adapter's
// tests parse: a copy of the team's ../shared/fixtures/k6 kept in the repository, so a clone
// anywhere can run its tests. k6-json.test.ts checks the copy against the team's where it exists.
import path from 'node:path';

export const K6_FIXTURES = path.join(import.meta.dirname, 'k6-fixtures');
/** The team's recordings, beside the repository (absent in a clone made elsewhere). */
export const SHARED_K6_FIXTURES = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'k6');
