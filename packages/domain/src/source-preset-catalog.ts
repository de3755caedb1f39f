// What the presets' user surfaces (`yq source`, the 信源 form, the API) share: the catalog without the build
// functions, parameter checking that names the field, a definition as a Source row, and secrets masked for output.
import { findSourcePreset, SOURCE_PRESETS, type SourcePresetParam } from './source-presets.ts';
import { defaultSourceName, sourceDefinitionSchema, type SourceDefinition } from './source-config.ts';

/** A preset as the browser and `yq source presets` see it (no build function). */
export interface SourcePresetInfo {
  name: string;
  label: string;
  description: string;
  params: readonly SourcePresetParam[];
}

/** Every preset, platform presets first. */
export function sourcePresetCatalog(): SourcePresetInfo[] {
  return SOURCE_PRESETS.map(({ name, label, description, params }) => ({ name, label, description, params }));
}

/** One problem with a preset request, by field: `preset`, `params.uid`, `config.limits.timeoutMs`. */
export interface PresetIssue {
  field: string;
  code: 'PRESET_UNKNOWN' | 'PRESET_PARAM_UNKNOWN' | 'PRESET_PARAM_MISSING' | 'PRESET_PARAM_INVALID';
  message: string;
}

/**
 * Checks a preset name and its parameters and builds the source: either the definition or the issues, each naming
 * its field (a config field the preset fills from a parameter is named as that parameter, so the form can mark
 * it). Messages are zh-CN first. Pure.
 */
export function presetSourceOrIssues(
  name: string,
  params: Readonly<Record<string, string>>,
): { definition: SourceDefinition; issues: [] } | { definition?: undefined; issues: PresetIssue[] } {
  const preset = findSourcePreset(name);
  if (!preset)
    return {
      issues: [
        {
          field: 'preset',
          code: 'PRESET_UNKNOWN',
          message: `没有名为 ${name} 的预设 (unknown preset; known: ${SOURCE_PRESETS.map((p) => p.name).join(', ')})`,
        },
      ],
    };
  const issues: PresetIssue[] = [];
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const param = preset.params.find((p) => p.key === key);
    if (!param) {
      issues.push({
        field: `params.${key}`,
        code: 'PRESET_PARAM_UNKNOWN',
        message: `预设 ${name} 没有参数 ${key}（可用：${preset.params.map((p) => p.key).join(', ')}）`,
      });
      continue;
    }
    const trimmed = value.trim();
    if (param.choices && trimmed !== '' && !param.choices.some((c) => c.value === trimmed))
      issues.push({
        field: `params.${key}`,
        code: 'PRESET_PARAM_INVALID',
        message: `${param.label}只能是 ${param.choices.map((c) => c.value).join(', ')}`,
      });
    else if (trimmed !== '') cleaned[key] = trimmed;
  }
  for (const param of preset.params)
    if (param.required && cleaned[param.key] === undefined && !issues.some((i) => i.field === `params.${param.key}`))
      issues.push({
        field: `params.${param.key}`,
        code: 'PRESET_PARAM_MISSING',
        message: `请填写${param.label}${param.example ? `（例如 ${param.example}）` : ''}`,
      });
  if (issues.length > 0) return { issues };
  const parsed = sourceDefinitionSchema.safeParse(preset.build(cleaned));
  if (parsed.success) return { definition: parsed.data, issues: [] };
  return {
    issues: parsed.error.issues.map((issue) => {
      const [first, second] = issue.path.map(String);
      const param = first === 'config' && second ? preset.params.find((p) => p.key === second) : undefined;
      return {
        field: param ? `params.${param.key}` : issue.path.map(String).join('.') || 'preset',
        code: 'PRESET_PARAM_INVALID' as const,
        message: param ? `${param.label}：${issue.message}` : issue.message,
      };
    }),
  };
}

/** Config keys that hold secrets (a platform login cookie): masked whenever a source is shown. */
export const SECRET_SOURCE_CONFIG_KEYS = ['cookie'] as const;

/** Shown in place of a secret. */
export const MASKED_SECRET = '******';

/** A copy of `config` with its secrets masked, for output (API answers, `yq source add`). */
export function maskSourceConfig(config: unknown): unknown {
  if (!config || typeof config !== 'object' || Array.isArray(config)) return config;
  const out: Record<string, unknown> = { ...(config as Record<string, unknown>) };
  for (const key of SECRET_SOURCE_CONFIG_KEYS) if (typeof out[key] === 'string') out[key] = MASKED_SECRET;
  return out;
}

/** A validated definition as the fields of a Source row (a name from the host when it has none). */
export function sourceRowFromDefinition(def: SourceDefinition) {
  return {
    name: def.name ?? defaultSourceName(def),
    kind: def.kind,
    url: def.url,
    config: def.config as Record<string, unknown>,
    schedule: def.schedule,
    enabled: def.enabled,
    respectRobots: def.respectRobots,
    weight: def.weight,
    region: def.region ?? null,
  };
}
