import { startPostgres, type TestPostgres } from "../testing/postgres.js";
import { openPostgresStorage } from "./postgres-storage.js";
import { describeStorageContract } from "./testing/storage-contract.js";

// A throwaway PostgreSQL cluster (CI installs the server binaries): the same contract as SQLite, with
// two connection pools standing for two server nodes.
let pg: TestPostgres | undefined;
describeStorageContract(
  "PostgreSQL",
  async () => {
    pg ??= await startPostgres();
    return openPostgresStorage(pg.url);
  },
  async () => pg?.stop(),
);
