/** Types of the precompiled validators that scripts/build-validators.mjs writes beside this file. */
import type { ValidateFunction } from 'ajv';

export const app_protection_policy: ValidateFunction;
export const autopilot_profile: ValidateFunction;
export const compliance_policy: ValidateFunction;
export const conditional_access_policy: ValidateFunction;
export const configuration_profile: ValidateFunction;
export const defender_connector: ValidateFunction;
export const endpoint_dlp_policy: ValidateFunction;
export const enrollment_restriction: ValidateFunction;
export const zerotrust: ValidateFunction;
