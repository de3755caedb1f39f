// Source presets: a named recipe that turns a few user parameters (a keyword, an account id, a region) into a
// complete source definition, so a user never writes CSS selectors or JSON paths for a known platform.
// `yq source add --preset NAME --param key=value` and the 信源 page both go through buildSourceFromPreset.
import { NonRetryableError } from '@yuqing/core';
import { BOARD_PRESETS } from './presets/board-presets.ts';
import { PLATFORM_PRESETS } from './presets/platform-presets.ts';
import { parseSourceDefinition, type SourceDefinition, type SourceDefinitionInput } from './source-config.ts';

/** One parameter a preset asks the user for. */
export interface SourcePresetParam {
  /** The key used in `--param key=value` and in the form. */
  readonly key: string;
  /** zh-CN label shown in the form. */
  readonly label: string;
  readonly required: boolean;
  /** zh-CN help line: what to enter and where to find it. */
  readonly help?: string;
  readonly example?: string;
  /** Allowed values, when the parameter is a choice. */
  readonly choices?: readonly { readonly value: string; readonly label: string }[];
  /** A secret (login cookie, token): masked in the UI and never logged. */
  readonly secret?: boolean;
}

/** A named recipe for a source. */
export interface SourcePreset {
  /** Name used by `--preset`, e.g. `weibo-search`. */
  readonly name: string;
  /** zh-CN name shown in the 信源 page. */
  readonly label: string;
  /** zh-CN description: what it collects and what it needs from the user. */
  readonly description: string;
  readonly params: readonly SourcePresetParam[];
  /** Builds the source definition from validated parameters (required ones are present and non-empty). */
  build(params: Readonly<Record<string, string>>): SourceDefinitionInput;
}

/** Every preset, platform presets first. */
export const SOURCE_PRESETS: readonly SourcePreset[] = [...PLATFORM_PRESETS, ...BOARD_PRESETS];

/** The preset called `name`, or undefined. */
export function findSourcePreset(name: string): SourcePreset | undefined {
  return SOURCE_PRESETS.find((preset) => preset.name === name);
}

/**
 * Builds and validates a source definition from a preset and user parameters.
 * @throws NonRetryableError `PRESET_UNKNOWN`, `PRESET_PARAM_MISSING`, `PRESET_PARAM_UNKNOWN`, `PRESET_PARAM_INVALID`
 *   or the source schema's `CONFIG_INVALID`, each naming the preset and the parameter.
 */
export function buildSourceFromPreset(name: string, params: Readonly<Record<string, string>>): SourceDefinition {
  const preset = findSourcePreset(name);
  if (!preset) {
    const known = SOURCE_PRESETS.map((p) => p.name).join(', ') || '(none)';
    throw new NonRetryableError('PRESET_UNKNOWN', `unknown preset "${name}"; known presets: ${known}`);
  }
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const param = preset.params.find((p) => p.key === key);
    if (!param) {
      const keys = preset.params.map((p) => p.key).join(', ');
      throw new NonRetryableError(
        'PRESET_PARAM_UNKNOWN',
        `preset ${name} has no parameter "${key}" (it takes: ${keys})`,
      );
    }
    const trimmed = value.trim();
    if (param.choices && trimmed !== '' && !param.choices.some((c) => c.value === trimmed)) {
      const allowed = param.choices.map((c) => c.value).join(', ');
      throw new NonRetryableError('PRESET_PARAM_INVALID', `preset ${name}: ${key} must be one of ${allowed}`);
    }
    if (trimmed !== '') cleaned[key] = trimmed;
  }
  for (const param of preset.params) {
    if (param.required && cleaned[param.key] === undefined) {
      throw new NonRetryableError(
        'PRESET_PARAM_MISSING',
        `preset ${name} needs --param ${param.key}=…${param.example ? ` (e.g. ${param.example})` : ''}`,
      );
    }
  }
  return parseSourceDefinition(preset.build(cleaned), `preset ${name}`);
}
