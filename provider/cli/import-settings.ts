/**
 * Where `pulumi-platos import` reads each platos:* setting: its flag (URLs and the protocol; never a token, so tokens
 * stay out of shell history), else --stack-config, else its environment variable. Keys and variables come from the
 * provider's SETTINGS, so `--help` names what the settings code reads.
 */
import { SETTINGS, type SettingName } from "../runtime/settings";

/** The settings a flag may give, by the flag commander turns into the setting's own name (--core-api-url → coreApiUrl). */
export const SETTING_FLAGS = {
  apiUrl: "--api-url",
  coreApiUrl: "--core-api-url",
  protocol: "--protocol",
  dashboardUrl: "--dashboard-url",
} as const satisfies Partial<Record<SettingName, string>>;

type FlagSetting = keyof typeof SETTING_FLAGS;

/** Every setting the import reads: all but the production pattern, which guards writes and import writes nothing. */
const IMPORT_SETTINGS = (Object.keys(SETTINGS) as SettingName[]).filter((name) => name !== "prodPattern");

/** The flags' values by setting name, for withOverrides. */
export function flagOverrides(options: Partial<Record<FlagSetting, string>>): Partial<Record<SettingName, string>> {
  return Object.fromEntries((Object.keys(SETTING_FLAGS) as FlagSetting[]).map((name) => [name, options[name]]));
}

/** Where each setting is read, in one sentence, said after a failure whose fix is a setting. */
export const SETTING_SOURCES = `each platos:* setting is read from ${Object.values(SETTING_FLAGS).join("/")}, else --stack-config, else its PLATOS_* environment variable`;

/** The table `import --help` ends with: each setting, its flag if it has one, its environment variable. */
export function settingsHelp(): string {
  const rows = IMPORT_SETTINGS.map((name) => {
    const { key, env, secret } = SETTINGS[name];
    const flag: string = (SETTING_FLAGS as Partial<Record<SettingName, string>>)[name] ?? (secret ? "(no flag: secret)" : "");
    return [key, flag, env];
  });
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return [
    "",
    "Settings: each from its flag, else the --stack-config file, else its environment variable:",
    ...rows.map(([key, flag, env]) => `  ${key!.padEnd(widths[0]!)}  ${flag!.padEnd(widths[1]!)}  ${env}`),
  ].join("\n");
}

/** "platos:apiUrl from --stack-config, else PLATOS_API_URL": where a flag's setting comes from without the flag. */
export function withoutFlag(name: FlagSetting): string {
  const { key, env } = SETTINGS[name];
  return `${key} from --stack-config, else ${env}`;
}
