/**
 * How Platos reads PLATOS_TEST_MODE: a strict, case-sensitive boolean with no trimming. "true" and "1" turn it
 * on; "false", "0" and "" are off; any other spelling makes the agent refuse to boot.
 */
export const TEST_MODE_KEY = "PLATOS_TEST_MODE";

export const TEST_MODE_ON_VALUES = ["true", "1"] as const;
export const TEST_MODE_OFF_VALUES = ["false", "0", ""] as const;

export type TestModeReading = "on" | "off" | "invalid";

export function readTestMode(value: string): TestModeReading {
  if ((TEST_MODE_ON_VALUES as readonly string[]).includes(value)) return "on";
  if ((TEST_MODE_OFF_VALUES as readonly string[]).includes(value)) return "off";
  return "invalid";
}
