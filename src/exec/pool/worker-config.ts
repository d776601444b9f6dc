// What a query worker needs to build its handlers: plain data, passed as `workerData`.
export interface WorkerConfig {
  readonly engineKind: 'sqlite' | 'postgres';
  readonly rootSecrets: readonly string[];
  readonly rootSecretHashes: readonly string[];
  readonly bcryptCost: number;
}
