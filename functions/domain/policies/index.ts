/** The policy documents this build ships: add a city's new version here as data (no logic changes). */
import { shijiazhuang2026v1 } from './shijiazhuang-2026.1.js';

export const shippedPolicyDocuments: readonly unknown[] = [shijiazhuang2026v1];
