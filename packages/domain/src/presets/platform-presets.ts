// Presets for platform sources: 微博 (search, user timelines) and platform hot lists (热榜).
import type { SourcePreset } from '../source-presets.ts';

/** Platform presets (微博, 热榜); filled by the platform source kinds. */
export const PLATFORM_PRESETS: readonly SourcePreset[] = [];
