import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';
import { UserError, describeError } from '../errors.js';
import { ABSTAIN_FEATURES } from './abstain.js';
import { CANDIDATE_FEATURES } from './features.js';
import type { LinearModel } from './linear-model.js';

/** The trained ranker and abstention classifier, as `npm run train` writes them. */
export interface SearchModel {
  version: number;
  /** What it was trained on, for the record (never read by search). */
  trainedOn: {
    set: string;
    split: string;
    questions: number;
    answerable: number;
    unanswerable: number;
    /** Dialogue turns the ranker also learned from, as the chat rewrote them (absent: none). */
    dialogueTurns?: number;
  };
  ranker: LinearModel;
  abstainer: LinearModel;
  /** Refuse when the classifier's probability that nothing answers reaches this. */
  threshold: number;
  /** Below `threshold`, answer but say the documents may not answer it exactly when the probability reaches this. */
  hedgeThreshold: number;
}

/** Bumped when the file's shape changes. */
export const MODEL_VERSION = 2;

/** Where the trained model lives: in the repository, versioned with the code that computes its features. */
export const MODEL_FILE = path.join(PROJECT_ROOT, 'src', 'search', 'model.json');

function sameFeatures(model: LinearModel, names: readonly string[]): boolean {
  return model.features.length === names.length && model.features.every((f, i) => f === names[i]) && model.weights.length === names.length;
}

/** Loads and checks the model; a missing or stale one is one sentence naming the command that makes it. */
export function loadSearchModel(file: string = MODEL_FILE): SearchModel {
  let model: SearchModel;
  try {
    model = JSON.parse(fs.readFileSync(file, 'utf8')) as SearchModel;
  } catch (err) {
    throw new UserError(`The search model ${file} cannot be read (${describeError(err)}); make it with \`npm run train\`.`);
  }
  if (model.version !== MODEL_VERSION || !sameFeatures(model.ranker, CANDIDATE_FEATURES) || !sameFeatures(model.abstainer, ABSTAIN_FEATURES)) {
    throw new UserError(`The search model ${file} was trained on other features than this version computes; retrain it with \`npm run train\`.`);
  }
  return model;
}
