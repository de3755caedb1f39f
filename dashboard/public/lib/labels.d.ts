// Types of /assets/lib/labels.js, which has no file here: the dashboard generates it at startup from
// packages/domain/src/labels.ts (labelsModuleSource). The relative path keeps the browser's type check to that
// one dependency-free module.
import type { LABELS as DOMAIN_LABELS } from '../../../packages/domain/src/labels.ts';

export declare const LABELS: typeof DOMAIN_LABELS;
