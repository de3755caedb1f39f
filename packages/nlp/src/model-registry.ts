import { getDefaultModel, parseDefaultModelRef } from './default-models.ts';
import { readModelFile, type VersionedModel } from './model-file.ts';

/** Loads a model by reference: `default:relevance|subcategory|sentiment` or a model file path. */
export async function loadModel(ref: string): Promise<VersionedModel> {
  const name = parseDefaultModelRef(ref);
  if (name)
    return {
      classifier: getDefaultModel(name),
      version: 1,
      previousVersion: null,
      createdAt: new Date(0).toISOString(),
      evaluation: null,
    };
  return readModelFile(ref);
}
