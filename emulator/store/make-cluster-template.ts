/** Run by the package's build: writes the shipped cluster template (cluster-template.ts). */
import { buildClusterTemplate } from "./pglite";

buildClusterTemplate().then(
  (file) => console.log(`cluster template: ${file}`),
  (err: unknown) => {
    console.error(`making the cluster template failed: ${(err as Error).message}`);
    process.exitCode = 1;
  },
);
