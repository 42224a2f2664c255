// The tests' throwaway PostgreSQL cluster is the benchmarks' too: one implementation, in scripts/lib.
export { freePort, onFreePort, startPostgres, type PgCluster } from '../../scripts/lib/postgres.ts';
