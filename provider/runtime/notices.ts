/**
 * One-line notices from the provider to whoever runs Pulumi, each said once per provider process. They go to
 * stderr: the Pulumi CLI shows a dynamic provider's console output (pulumi/pulumi#18253), while `pulumi.log` from a
 * dynamic provider reaches nobody (#6065, #18249). A notice never holds a value or a token: one quoting server or
 * error text is redacted as errors are (runtime/redact.ts).
 */
import { redact } from "./redact";

const said = new Set<string>();

export function noticeOnce(line: string): void {
  if (said.has(line)) return;
  said.add(line);
  process.stderr.write(`${redact(line)}\n`);
}

/** For tests: a new provider process has said nothing yet. */
export function resetNotices(): void {
  said.clear();
}
